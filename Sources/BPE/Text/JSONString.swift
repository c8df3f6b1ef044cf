/// JSON string literals, shared by every JSON writer in the package (the CLI's, the inspector's,
/// the comparison's and Harmony's), so they all escape alike.
package enum JSONString {
    /// `text` as a JSON string literal: `"` and `\` escaped, `\n`, `\r`, `\t`, `\b`, `\f` as short
    /// escapes, other control characters as `\u00XX`, everything else written as is (UTF-8).
    /// - Complexity: O(n), copying runs of bytes that need no escape at once.
    package static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 2)
            out.append(0x22)
            var run = 0  // bytes[run..<i] need no escape
            for i in bytes.indices {
                let byte = bytes[i]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                out += bytes[run..<i]
                run = i + 1
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0x08: out += [0x5C, 0x62]
                case 0x0C: out += [0x5C, 0x66]
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    out += [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
                }
            }
            out += bytes[run...]
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
