/// Receives the pieces of an encode as they are made.
protocol PieceSink {
    /// A piece's byte range; its tokens end at `tokenEnd` in the output.
    mutating func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool)
}

struct NoPieceSink: PieceSink {
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
