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

    /// The byte of each character of the alphabet.
    static let bytes: [Unicode.Scalar: UInt8] = {
        var map = [Unicode.Scalar: UInt8]()
        for (byte, scalar) in characters.enumerated() { map[scalar] = UInt8(byte) }
        return map
    }()

    /// The bytes a token string stands for, as the `ByteLevel` decoder reads it: each character's
    /// byte, or, when some character is outside the alphabet (an added token such as
    /// `<｜begin▁of▁sentence｜>`), the string's own UTF-8.
    static func decode(_ token: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = bytes[scalar] else { return Array(token.utf8) }
            out.append(byte)
        }
        return out
    }

    /// `bytes` written in the alphabet.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(characters[Int(byte)]) }
        return String(out)
    }
}
