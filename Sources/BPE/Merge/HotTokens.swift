/// What ``PieceCache``'s hot table knows of a piece of four to eight bytes, in one word: its
/// length, and its tokens when there are at most three, each below 2^18 (every built-in
/// vocabulary's are), or that the piece needs the longer way (more tokens, or a larger one).
///
/// Layout: bits 60–63 the length, bits 54–55 the token count (0: the longer way), bits 0–53 the
/// tokens, 18 bits each, the first lowest. An empty slot is 0: length 0 matches no piece.
///
/// Example (a test): `meta(length: 5, 9906, 11)` appends 9906, 11; `meta(length: 5, 1 << 18)`
/// is nil, and `more(length: 5)` appends nothing.
enum HotTokens {
    static let tokenBits = 18
    private static let tokenMask: UInt64 = 1 << tokenBits - 1

    @inline(__always)
    static func length(_ meta: UInt64) -> Int { Int(truncatingIfNeeded: meta >> 60) }

    /// A piece whose tokens are not held.
    @inline(__always)
    static func more(length: Int) -> UInt64 { UInt64(length) << 60 }

    @inline(__always)
    static func meta(length: Int, _ first: Rank) -> UInt64? {
        guard UInt64(first) <= tokenMask else { return nil }
        return UInt64(length) << 60 | 1 << 54 | UInt64(first)
    }

    @inline(__always)
    static func meta(length: Int, _ first: Rank, _ second: Rank) -> UInt64? {
        guard UInt64(first | second) <= tokenMask else { return nil }
        return UInt64(length) << 60 | 2 << 54 | UInt64(second) << 18 | UInt64(first)
    }

    @inline(__always)
    static func meta(length: Int, _ first: Rank, _ second: Rank, _ third: Rank) -> UInt64? {
        guard UInt64(first | second | third) <= tokenMask else { return nil }
        return UInt64(length) << 60 | 3 << 54 | UInt64(third) << 36 | UInt64(second) << 18 | UInt64(first)
    }

    /// Appends the tokens `meta` holds to `output`; false (nothing appended) when it holds none.
    @inline(__always)
    static func append(_ meta: UInt64, to output: inout [Rank]) -> Bool {
        let count = meta >> 54 & 3
        guard count != 0 else { return false }
        output.append(Rank(truncatingIfNeeded: meta & tokenMask))
        if count > 1 {
            output.append(Rank(truncatingIfNeeded: meta >> 18 & tokenMask))
            if count > 2 { output.append(Rank(truncatingIfNeeded: meta >> 36 & tokenMask)) }
        }
        return true
    }
}
