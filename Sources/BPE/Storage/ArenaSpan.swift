/// Where one token's bytes lie in a table's arena: the offset and the length packed in one word
/// (`offset | length << 40`; 0 for a rank that no token has), so a span table costs 8 bytes a rank
/// and is stored in the vocabulary cache as it is in memory.
struct ArenaSpan: Equatable {
    /// The packed word.
    let raw: UInt64

    /// No token.
    static let empty = ArenaSpan(raw: 0)

    init(raw: UInt64) {
        self.raw = raw
    }

    /// The span of `length` (1 or more) bytes at `offset`.
    @inline(__always)
    init(offset: Int, length: Int) {
        assert(length > 0 && length < 1 << 24 && offset >= 0 && offset < 1 << 40)
        raw = UInt64(offset) | UInt64(length) << 40
    }

    @inline(__always) var offset: Int { Int(truncatingIfNeeded: raw & 0xFF_FFFF_FFFF) }
    @inline(__always) var length: Int { Int(truncatingIfNeeded: raw >> 40) }
    @inline(__always) var isEmpty: Bool { raw == 0 }

    /// The bytes it names in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeMutableBufferPointer<UInt8>) -> UnsafePointer<UInt8> {
        assert(offset + length <= arena.count)
        return UnsafePointer(arena.baseAddress! + offset)
    }
}
