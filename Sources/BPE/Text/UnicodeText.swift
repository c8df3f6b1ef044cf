/// Word and whitespace tests on UTF-8 text by scalar, as Rust's `regex` defines `\w` and `\s`
/// (Hugging Face's added tokens use them for `single_word`, `lstrip` and `rstrip`), with the
/// Swift standard library's Unicode properties.
enum UnicodeText {
    /// `\w`: Alphabetic, a mark, a decimal digit, a connector punctuation, or Join_Control.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) || v == 0x5F
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `\s`: White_Space.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// The scalar that ends at `end` (a scalar boundary after the start of `text`).
    static func scalar(before end: Int, in text: UnsafeBufferPointer<UInt8>) -> (scalar: Unicode.Scalar, start: Int) {
        var start = end - 1
        while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
        return (scalar(at: start, in: text).scalar, start)
    }

    /// The scalar that starts at `start` (a scalar boundary before the end of `text`).
    static func scalar(at start: Int, in text: UnsafeBufferPointer<UInt8>) -> (scalar: Unicode.Scalar, length: Int) {
        let (value, length) = Composition.decode(text, start)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether the scalar before `offset` is a word character (false at the start).
    static func isWordCharacter(before offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        offset > 0 && isWord(scalar(before: offset, in: text).scalar)
    }

    /// Whether the scalar at `offset` is a word character (false at the end).
    static func isWordCharacter(at offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        offset < text.count && isWord(scalar(at: offset, in: text).scalar)
    }

    /// Where the run of whitespace that ends at `offset` starts.
    static func whitespaceStart(before offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var start = offset
        while start > 0 {
            let (scalar, previous) = scalar(before: start, in: text)
            guard isSpace(scalar) else { break }
            start = previous
        }
        return start
    }

    /// Where the run of whitespace that starts at `offset` ends.
    static func whitespaceEnd(from offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var end = offset
        while end < text.count {
            let (scalar, length) = scalar(at: end, in: text)
            guard isSpace(scalar) else { break }
            end += length
        }
        return end
    }
}
