/// UTF-8 validation on bytes (never on `String`, whose `Character`s are grapheme clusters).
public enum UTF8Validation {
    /// The length of the longest valid UTF-8 prefix of `bytes` (== `bytes.count` when all valid).
    /// Rejects overlong forms, surrogates and scalars above U+10FFFF, as Rust's `from_utf8` does.
    /// - Complexity: O(n), eight ASCII bytes at a time.
    public static func validPrefixLength(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { validPrefixLength($0) }
    }

    /// The length of the longest valid UTF-8 prefix of the buffer.
    public static func validPrefixLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
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
            let width: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: width = 2
            case 0xE0: width = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: width = 3
            case 0xED: width = 3; high = 0x9F
            case 0xF0: width = 4; low = 0x90
            case 0xF1...0xF3: width = 4
            case 0xF4: width = 4; high = 0x8F
            default: return i
            }
            guard i + width <= n else { return i }
            let b1 = base[i + 1]
            guard b1 >= low, b1 <= high else { return i }
            for k in 2..<width where base[i + k] & 0xC0 != 0x80 { return i }
            i += width
        }
        return n
    }
}
