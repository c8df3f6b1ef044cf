/// UTF-8 validation on bytes (never on `String`, whose `Character`s are grapheme clusters).
package enum UTF8Validation {
    /// For a lead byte of a multi-byte sequence: the sequence's length and the range its second
    /// byte must be in (which excludes overlong forms, surrogates and values above U+10FFFF);
    /// nil for ASCII, continuation bytes and bytes that start nothing.
    @inline(__always)
    static func sequence(startingWith lead: UInt8) -> (width: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80...0xBF)
        case 0xE0: return (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80...0xBF)
        case 0xED: return (3, 0x80...0x9F)
        case 0xF0: return (4, 0x90...0xBF)
        case 0xF1...0xF3: return (4, 0x80...0xBF)
        case 0xF4: return (4, 0x80...0x8F)
        default: return nil
        }
    }

    /// The scalar starting at `i` and its width in bytes, or nil when the bytes there are not a
    /// well-formed sequence (a continuation byte, a truncated sequence, an overlong form, a
    /// surrogate, or past U+10FFFF).
    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, width: Int)? {
        let lead = bytes[i]
        if lead < 0x80 { return (UInt32(lead), 1) }
        guard let (width, second) = sequence(startingWith: lead), i + width <= bytes.count, second.contains(bytes[i + 1])
        else { return nil }
        var value = UInt32(lead) & (0x7F >> UInt32(width))
        for k in 1..<width {
            let byte = bytes[i + k]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, width)
    }

    /// The length of the longest valid UTF-8 prefix of `bytes` (== `bytes.count` when all valid).
    /// Rejects overlong forms, surrogates and scalars above U+10FFFF, as Rust's `from_utf8` does.
    /// - Complexity: O(n), eight ASCII bytes at a time.
    package static func validPrefixLength(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { validPrefixLength($0) }
    }

    /// The length of the longest valid UTF-8 prefix of the buffer.
    package static func validPrefixLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            guard let (width, second) = sequence(startingWith: b0) else { return i }
            guard i + width <= n, second.contains(base[i + 1]) else { return i }
            for k in 2..<width where base[i + k] & 0xC0 != 0x80 { return i }
            i += width
        }
        return n
    }
}
