/// A JSON value that keeps object keys in their written order and numbers as written, so tool
/// schemas render exactly as given (property order and default values matter to the prompt).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as written in the source (for example `10`, `-1`, `1.50`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in their written order (a repeated key keeps its last value, in its first place).
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (Double(x) != nil && Double(x) == Double(y))
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    public var objectValue: [(String, JSONValue)]? { if case let .object(o) = self { o } else { nil } }
    public var isNull: Bool { self == .null }
    /// A number written as an integer (no fraction or exponent) that fits in `Int`.
    public var intValue: Int? { if case let .number(n) = self { Int(n) } else { nil } }

    // MARK: - Writing

    /// Compact JSON (no spaces), non-ASCII written as is; floats in their shortest form
    /// (`1.50` → `1.5`, `2.0` stays `2.0`), integers as written.
    public var compact: String {
        var out = ""
        write(into: &out, pretty: nil)
        return out
    }

    /// JSON indented by two spaces per level.
    public var pretty: String {
        var out = ""
        write(into: &out, pretty: 0)
        return out
    }

    func write(into out: inout String, pretty level: Int?) {
        func newline(_ depth: Int) {
            if let level { out += "\n" + String(repeating: "  ", count: level + depth) }
        }
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(raw): out += JSONValue.canonicalNumber(raw)
        case let .string(s): out += JSONValue.quote(s)
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(1)
                item.write(into: &out, pretty: level.map { $0 + 1 })
            }
            newline(0)
            out += "]"
        case let .object(members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                newline(1)
                out += JSONValue.quote(key) + (level == nil ? ":" : ": ")
                value.write(into: &out, pretty: level.map { $0 + 1 })
            }
            newline(0)
            out += "}"
        }
    }

    /// Integers as written; other numbers in the shortest form that reads back the same, with a
    /// `.0` when integral (as Rust's serde_json prints an f64).
    static func canonicalNumber(_ raw: String) -> String {
        if !raw.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), Int64(raw) != nil || UInt64(raw) != nil { return raw }
        guard let value = Double(raw), value.isFinite else { return raw }
        var text = "\(value)"
        if let e = text.firstIndex(of: "e") {  // Swift writes 1e+20; serde_json writes 1e20
            let mantissa = text[..<e], exponent = text[text.index(after: e)...]
            text = mantissa + "e" + (exponent.hasPrefix("+") ? String(exponent.dropFirst()) : String(exponent))
        }
        return text
    }

    /// A JSON string literal: quoted, with `"`, `\\` and control characters escaped.
    public static func quote(_ s: String) -> String { JSONString.quote(s) }

    // MARK: - Reading

    /// A syntax error with its byte offset.
    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "JSON: \(message) at byte \(offset)" }
    }

    /// Parses one JSON value (surrounding white space allowed).
    /// - Complexity: O(n); nesting deeper than 512 levels is refused.
    public static func parse(_ text: some Collection<UInt8>) throws(SyntaxError) -> JSONValue {
        var reader = Reader(bytes: Array(text))
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw reader.error("unexpected text after the value") }
        return value
    }

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue { try parse(text.utf8) }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func literal(_ word: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
            let w = Array(word.utf8)
            guard bytes.count - index >= w.count, Array(bytes[index..<(index + w.count)]) == w else { throw error("unexpected character") }
            index += w.count
            return value
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < 512 else { throw error("nesting too deep") }
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                index += 1
                var items = [JSONValue]()
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw error("unterminated array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { throw error("expected , or ]") }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "{"):
                index += 1
                var members = [(String, JSONValue)]()
                // Each key's place, so a repeated key costs O(1) in a large object (a small one is
                // searched: most objects are small, and a dictionary each would cost more). Keys are
                // compared by their code points, not as Swift Strings (which equate canonically
                // equivalent text and hash slowly).
                var positions = [CodePointKey: Int]()
                func place(of key: String) -> Int? {
                    if members.count <= 16 { return members.firstIndex { CodePointKey.sameBytes($0.0, key) } }
                    if positions.isEmpty {
                        for (i, member) in members.enumerated() { positions[CodePointKey(member.0)] = i }
                    }
                    return positions[CodePointKey(key)]
                }
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    let key = try string()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected :") }
                    index += 1
                    skipSpace()
                    let member = try value(depth: depth + 1)
                    if let i = place(of: key) {
                        members[i].1 = member
                    } else {
                        if !positions.isEmpty { positions[CodePointKey(key)] = members.count }
                        members.append((key, member))
                    }
                    skipSpace()
                    guard index < bytes.count else { throw error("unterminated object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw error("expected , or }") }
                    index += 1
                    return .object(members)
                }
            default:
                return .number(try number())
            }
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = index
            func digits() -> Int {
                let s = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                return index - s
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("unexpected character") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw error("expected digits after .") }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw error("expected exponent digits") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw error("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: throw error("bad \\u escape")
                }
                v = v << 4 | UInt32(d)
                index += 1
            }
            return v
        }

        mutating func string() throws(SyntaxError) -> String {
            index += 1  // the opening quote
            // The common case, a string without escapes: one scan, one validating copy.
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let plain = bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[index..<end]), as: UTF8.self) }
                guard let plain else { throw error("string is not valid UTF-8") }
                index = end + 1
                return plain
            }
            var out = [UInt8]()
            while true {
                guard index < bytes.count else { throw error("unterminated string") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") { index += 1; break }
                if b < 0x20 { throw error("control character in string") }
                if b != UInt8(ascii: "\\") { out.append(b); index += 1; continue }
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var v = try hex4()
                    if (0xD800..<0xDC00).contains(v), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                       bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) } else { index = save }
                    }
                    out += Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8)
                default: throw error("bad escape")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
            return s
        }
    }
}

/// A String compared and hashed by its UTF-8 bytes (so by code points, unlike String's own
/// equality, which is canonical equivalence).
struct CodePointKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: CodePointKey, b: CodePointKey) -> Bool { sameBytes(a.text, b.text) }

    /// Whether `a` and `b` have the same UTF-8 bytes (compared as buffers: the generic
    /// `utf8.elementsEqual` walks a view one byte at a time).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
