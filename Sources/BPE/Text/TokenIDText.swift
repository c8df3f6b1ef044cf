/// Token ids written as text: decimal numbers separated by white space or commas, optionally in
/// brackets, so `1 2 3`, `1,2,3` and `[1, 2, 3]` (a Python or JSON list) all read the same.
package enum TokenIDText {
    /// A word that is not a token id.
    package struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The offending word (at most 40 bytes of it, invalid UTF-8 replaced).
        package let text: String
        /// Its position among the ids (0 for the first).
        package let position: Int
        /// Its byte offset in the input.
        package let byteOffset: Int

        /// One line naming the word, its position and byte offset.
        package var description: String {
            "'\(text)' at position \(position) (byte \(byteOffset)) is not a token id (a decimal number below 2^32)"
        }
    }

    /// Parses `bytes` into ids.
    /// - Throws: ``SyntaxError`` for the first word that is not a decimal number below 2^32.
    /// - Complexity: O(n).
    package static func parse(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> [Rank] {
        let bytes = Array(bytes)
        var ids = [Rank]()
        var i = 0
        while i < bytes.count {
            while i < bytes.count, isSeparator(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            let start = i
            while i < bytes.count, !isSeparator(bytes[i]) { i += 1 }
            let word = bytes[start..<i]
            var value: UInt64 = 0
            var valid = word.count <= 10
            for b in word where valid {
                if b < 0x30 || b > 0x39 { valid = false } else { value = value * 10 + UInt64(b - 0x30) }
            }
            guard valid, value <= UInt64(Rank.max) else {
                throw SyntaxError(text: String(decoding: word.prefix(40), as: UTF8.self), position: ids.count, byteOffset: start)
            }
            ids.append(Rank(value))
        }
        return ids
    }

    /// `ids` as decimal numbers separated by single spaces (what ``parse(_:)`` reads back).
    package static func format(_ ids: some Sequence<Rank>) -> String {
        ids.lazy.map(String.init).joined(separator: " ")
    }

    /// Space, tab, line feed, vertical tab, form feed, carriage return, comma and square brackets.
    @inline(__always)
    package static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09...0x0D, 0x2C, 0x5B, 0x5D: true
        default: false
        }
    }
}
