/// Receives the pieces of an encode as they are made.
protocol PieceSink {
    /// A piece's byte range; its tokens end at `tokenEnd` in the output.
    mutating func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool)
}

struct NoPieceSink: PieceSink {
    @inline(__always) func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool) {}
}
