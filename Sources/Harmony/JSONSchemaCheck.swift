import BPE

/// Checks a JSON value against the part of JSON Schema that tool parameters use: `type` (one or a
/// list; `integer` is a number with no fraction), `nullable`, `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `enum`, `const`, `anyOf`/`oneOf` (one of
/// them accepts), `allOf`, `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`.
/// Other keywords are not checked.
///
/// ```swift
/// JSONSchemaCheck.firstViolation(try JSONValue.parse(#"{"unit": "K"}"#), schema: weatherParameters)
/// // (path: "$.unit", message: "\"K\" is not one of \"celsius\", \"fahrenheit\"")
/// ```
/// - Complexity: O(size of the value × depth of `anyOf` nesting).
public enum JSONSchemaCheck {
    /// Where a value breaks its schema, and how.
    public struct Violation: Sendable, Equatable {
        /// The JSON path of the value, `$` for the whole, `$.a[2].b` inside.
        public let path: String
        /// What is wrong.
        public let message: String
    }

    /// The first place, in document order, where `value` breaks `schema`; nil when it conforms.
    public static func firstViolation(_ value: JSONValue, schema: JSONValue, path: String = "$") -> Violation? {
        guard schema.objectValue != nil else { return nil }   // `true`, `{}` or anything else: no constraint
        func fail(_ message: String) -> Violation { Violation(path: path, message: message) }
        if value.isNull, schema["nullable"]?.boolValue == true { return nil }
        if let types = schema["type"].map({ $0.stringValue.map { [$0] } ?? ($0.arrayValue ?? []).compactMap(\.stringValue) }),
           !types.isEmpty, !types.contains(where: { matches(value, type: $0) }) {
            return fail("expected \(types.joined(separator: " or ")), found \(kind(of: value))")
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(where: { same($0, value) }) {
            return fail("\(value.compact) is not one of \(options.map(\.compact).joined(separator: ", "))")
        }
        if let constant = schema["const"], !same(constant, value) { return fail("\(value.compact) is not \(constant.compact)") }
        for key in ["anyOf", "oneOf"] {
            if let options = schema[key]?.arrayValue, !options.isEmpty,
               !options.contains(where: { firstViolation(value, schema: $0, path: path) == nil }) {
                return fail("matches none of the \(key) schemas")
            }
        }
        for part in schema["allOf"]?.arrayValue ?? [] {
            if let violation = firstViolation(value, schema: part, path: path) { return violation }
        }
        switch value {
        case let .number(text):
            let number = Double(text) ?? 0
            if let minimum = schema["minimum"].flatMap(numberValue), number < minimum { return fail("\(text) is less than \(minimum.formatted)") }
            if let maximum = schema["maximum"].flatMap(numberValue), number > maximum { return fail("\(text) is more than \(maximum.formatted)") }
        case let .string(text):
            let length = text.unicodeScalars.count
            if let minimum = schema["minLength"]?.intValue, length < minimum { return fail("shorter than \(minimum) characters") }
            if let maximum = schema["maxLength"]?.intValue, length > maximum { return fail("longer than \(maximum) characters") }
        case let .array(items):
            if let minimum = schema["minItems"]?.intValue, items.count < minimum { return fail("fewer than \(minimum) items") }
            if let maximum = schema["maxItems"]?.intValue, items.count > maximum { return fail("more than \(maximum) items") }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    if let violation = firstViolation(item, schema: itemSchema, path: "\(path)[\(index)]") { return violation }
                }
            }
        case let .object(members):
            for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue)
            where !members.contains(where: { $0.0 == name }) {
                return fail("missing required property \"\(name)\"")
            }
            let properties = schema["properties"]?.objectValue ?? []
            for (name, member) in members {
                let memberPath = path + "." + name
                if let propertySchema = properties.first(where: { $0.0 == name })?.1 {
                    if let violation = firstViolation(member, schema: propertySchema, path: memberPath) { return violation }
                } else if let additional = schema["additionalProperties"] {
                    if additional.boolValue == false { return Violation(path: memberPath, message: "property \"\(name)\" is not allowed") }
                    if let violation = firstViolation(member, schema: additional, path: memberPath) { return violation }
                }
            }
        default: break
        }
        return nil
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case let ("integer", .number(text)): Double(text).map { $0.rounded() == $0 && $0.isFinite } ?? false
        default: false
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func numberValue(_ value: JSONValue) -> Double? { if case let .number(text) = value { Double(text) } else { nil } }

    /// JSON equality: numbers by value, objects ignoring member order.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): Double(x) == Double(y)
        case let (.array(x), .array(y)): x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.object(x), .object(y)):
            x.count == y.count && x.allSatisfy { member in y.contains { $0.0 == member.0 && same($0.1, member.1) } }
        default: a == b
        }
    }
}

extension Double {
    /// Whole numbers without a fraction.
    fileprivate var formatted: String { rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
