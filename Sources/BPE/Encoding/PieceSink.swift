/// Receives the pieces of an encode as they are made.
protocol PieceSink {
    /// Whether the sink keeps what it is told: when not, a piece cache may answer whole lines
    /// without making their pieces (``LineMemo``).
    static var keepsPieces: Bool { get }
    /// A piece's byte range; its tokens end at `tokenEnd` in the output.
    mutating func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool)
}

extension PieceSink {
    static var keepsPieces: Bool { true }
}

struct NoPieceSink: PieceSink {
    static var keepsPieces: Bool { false }
    @inline(__always) func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool) {}
}

/// Keeps the range of the last piece of ordinary text, nil when the text ended with a special
/// token or had no piece: the piece `encode(bytes:)` encodes again where invalid UTF-8 follows.
struct LastPieceSink: PieceSink {
    private(set) var last: Range<Int>?
    @inline(__always) mutating func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool) {
        last = isSpecial ? nil : range
    }
}
