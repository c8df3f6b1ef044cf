/// GPT-2's byte-level alphabet, as Hugging Face tokenizers' `ByteLevel` uses it: every byte is
/// written as one printable character (`!`…`~`, `¡`…`¬`, `®`…`ÿ` stand for themselves; the other
/// 68 bytes for U+0100 onwards, so a space is `Ġ` and a newline `Ċ`). A `tokenizer.json`
/// vocabulary spells its tokens in this alphabet.
enum ByteLevel {
    /// The character of each byte.
    static let characters: [Unicode.Scalar] = {
        var scalars = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                scalars[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                scalars[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return scalars
    }()

    /// The bytes a token string stands for, as the `ByteLevel` decoder reads it: each character's
    /// byte, or, when some character is outside the alphabet (an added token such as
    /// `<｜begin▁of▁sentence｜>`), the string's own UTF-8.
    /// - Complexity: O(n), a table look-up per character (the alphabet is below U+0144, at most
    ///   two UTF-8 bytes a character).
    static func decode(_ token: String) -> [UInt8] {
        var token = token
        return token.withUTF8 { utf8 in
            var out = [UInt8]()
            out.reserveCapacity(utf8.count)
            var i = 0
            while i < utf8.count {
                let lead = utf8[i]
                var value = Int(lead)
                if lead >= 0x80 {
                    guard lead & 0xE0 == 0xC0, i + 1 < utf8.count else { return Array(utf8) }
                    value = Int(lead & 0x1F) << 6 | Int(utf8[i + 1] & 0x3F)
                    i += 1
                }
                i += 1
                guard value < byteOfScalar.count, byteOfScalar[value] >= 0 else { return Array(utf8) }
                out.append(UInt8(byteOfScalar[value]))
            }
            return out
        }
    }

    /// The byte of each scalar value below U+0144, -1 for a scalar outside the alphabet.
    private static let byteOfScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in characters.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// `bytes` written in the alphabet.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(characters[Int(byte)]) }
        return String(out)
    }
}
