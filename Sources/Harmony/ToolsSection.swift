import BPE

/// The `# Tools` section: each namespace (in name order) as a TypeScript-like block whose
/// functions take their JSON-Schema parameters as an object type.
///
/// ```
/// ## functions
///
/// namespace functions {
///
/// // Gets the weather.
/// type get_weather = (_: {
/// location: string,
/// unit?: "c" | "f", // default: "c"
/// }) => any;
///
/// } // namespace functions
/// ```
enum ToolsSection {
    static func render(_ namespaces: [String: ToolNamespace]) -> String {
        var sections = ["# Tools"]
        for key in namespaces.keys.sorted() {
            guard let ns = namespaces[key] else { continue }
            var lines = ["## \(ns.name)\n"]
            for line in rustLines(ns.description ?? "") { lines.append(ns.tools.isEmpty ? line : "// \(line)") }
            if !ns.tools.isEmpty {
                lines.append("namespace \(ns.name) {\n")
                for tool in ns.tools {
                    for line in rustLines(tool.description) { lines.append("// \(line)") }
                    if let parameters = tool.parameters {
                        lines.append("type \(tool.name) = (_: \(typeScript(parameters, indent: ""))) => any;\n")
                    } else {
                        lines.append("type \(tool.name) = () => any;\n")
                    }
                }
                lines.append("} // namespace \(ns.name)")
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Lines as Rust's `str::lines` gives them: split at `\n`, a `\r` just before a `\n` dropped
    /// (a final `\r` with no `\n` after it stays), no final empty line. Works on bytes: as
    /// `Character`s, `\r\n` is one grapheme and not split.
    static func rustLines(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        var parts = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { parts.removeLast() }
        let unterminated = bytes.last == 0x0A ? parts.count : parts.count - 1
        return parts.enumerated().map { index, line in
            String(decoding: index < unterminated && line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
    }

    static func isEnum(_ schema: JSONValue) -> Bool { !(schema["enum"]?.arrayValue?.isEmpty ?? true) }

    /// A default value as a comment: a string in quotes (bare for an enum's), anything else as JSON.
    static func defaultText(_ value: JSONValue, in schema: JSONValue) -> String {
        if let s = value.stringValue { return isEnum(schema) ? "default: \(s)" : "default: \"\(s)\"" }
        return "default: \(value.compact)"
    }

    static func nullable(_ type: String, _ schema: JSONValue) -> String {
        schema["nullable"]?.boolValue == true && !type.contains("null") ? type + " | null" : type
    }

    /// A JSON Schema as a TypeScript-like type.
    static func typeScript(_ schema: JSONValue, indent: String) -> String {
        if let variants = schema["oneOf"]?.arrayValue {
            var out = ""
            for variant in variants {
                out += "\n\(indent) | " + nullable(typeScript(variant, indent: indent + "   "), variant)
                var comments = [String]()
                if let d = variant["description"]?.stringValue { comments.append(d) }
                if let d = variant["default"] {
                    if let s = d.stringValue, !isEnum(variant) { comments.append("default: \"\(s)\"") } else { comments.append("default: \(d.compact)") }
                }
                if !comments.isEmpty { out += " // " + comments.joined(separator: " ") }
            }
            return out
        }
        if let types = schema["type"]?.arrayValue {
            let names = types.compactMap(\.stringValue).map { $0 == "integer" ? "number" : $0 }
            if !names.isEmpty { return names.joined(separator: " | ") }
        }
        guard let type = schema["type"]?.stringValue else { return "any" }
        switch type {
        case "object":
            var out = ""
            if let d = schema["description"]?.stringValue { out += "\(indent)// \(d)\n" }
            out += "{\n"
            if let properties = schema["properties"]?.objectValue {
                let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
                for (key, value) in properties {
                    out += property(key, value, required: required.contains(key), indent: indent)
                }
            }
            return out + "\(indent)}"
        case "string":
            let cases = (schema["enum"]?.arrayValue ?? []).compactMap(\.stringValue).map { "\"\($0)\"" }
            return cases.isEmpty ? "string" : cases.joined(separator: " | ")
        case "number", "integer": return "number"
        case "boolean": return "boolean"
        case "array":
            guard let items = schema["items"] else { return "Array<any>" }
            return typeScript(items, indent: indent) + "[]"
        default: return "any"
        }
    }

    static func property(_ key: String, _ value: JSONValue, required: Bool, indent: String) -> String {
        var out = ""
        if let title = value["title"]?.stringValue { out += "\(indent)// \(title)\n\(indent)//\n" }
        let variants = value["oneOf"]?.arrayValue
        if value["oneOf"] == nil, let d = value["description"]?.stringValue { out += "\(indent)// \(d)\n" }
        if let examples = value["examples"]?.arrayValue, !examples.isEmpty {
            out += "\(indent)// Examples:\n"
            for example in examples { if let s = example.stringValue { out += "\(indent)// - \"\(s)\"\n" } }
        }
        let mark = required ? "" : "?"
        if let variants {
            let propertyDescription = value["description"]?.stringValue
            let skip = propertyDescription != nil && variants.first?["description"]?.stringValue == propertyDescription
            var renderedAbove = false
            if !skip, let d = propertyDescription {
                out += "\(indent)// \(d)\n"
                renderedAbove = true
            }
            if let d = value["default"] { out += "\(indent)// \(defaultText(d, in: value))\n" }
            out += "\(indent)\(key)\(mark):\n"
            for (i, variant) in variants.enumerated() {
                out += "\(indent) | " + nullable(typeScript(variant, indent: indent + "   "), variant)
                var comments = [String]()
                if !(i == 0 && renderedAbove), let d = variant["description"]?.stringValue, d != propertyDescription {
                    comments.append(d)
                }
                if let d = variant["default"] { comments.append(defaultText(d, in: variant)) }
                if !comments.isEmpty { out += " // " + comments.joined(separator: " ") }
                out += "\n"
            }
            return out + "\(indent),\n"
        }
        out += "\(indent)\(key)\(mark): " + nullable(typeScript(value, indent: indent + "    "), value) + ","
        if let d = value["default"] { out += " // \(defaultText(d, in: value))" }
        return out + "\n"
    }
}
