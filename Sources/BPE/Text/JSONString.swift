/// JSON string literals, shared by every JSON writer in the package (the CLI's, the inspector's,
/// the comparison's and Harmony's), so they all escape alike.
public enum JSONString {
    /// `text` as a JSON string literal: `"` and `\` escaped, `\n`, `\r`, `\t`, `\b`, `\f` as short
    /// escapes, other control characters as `\u00XX`, everything else written as is (UTF-8).
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
