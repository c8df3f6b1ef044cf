/// Strict base64 (RFC 4648, with padding), as vocabulary files write token bytes.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    /// Appends the bytes `text` encodes to `output`; false (with `output` as it was) when `text` is
    /// not padded base64 of a multiple of four characters. The empty text is the empty token.
    /// - Complexity: O(n).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        guard text.count % 4 == 0 else { return false }
        let start = output.count
        let values = Base64.values
        var i = 0
        while i < text.count {
            let a = values[Int(text[i])], b = values[Int(text[i + 1])]
            let c3 = text[i + 2], c4 = text[i + 3]
            let c = values[Int(c3)], d = values[Int(c4)]
            let last = i + 4 == text.count
            guard a != 0xFF, b != 0xFF else { output.removeSubrange(start...); return false }
            output.append(a << 2 | b >> 4)
            if c != 0xFF {
                output.append(b << 4 | c >> 2)
                if d != 0xFF {
                    output.append(c << 6 | d)
                } else if !(last && c4 == UInt8(ascii: "=")) {
                    output.removeSubrange(start...)
                    return false
                }
            } else if !(last && c3 == UInt8(ascii: "=") && c4 == UInt8(ascii: "=")) {
                output.removeSubrange(start...)
                return false
            }
            i += 4
        }
        return true
    }
}
