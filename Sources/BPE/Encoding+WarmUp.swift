extension Encoding {
    /// Makes ready now what the first long piece (over 48 bytes: a run of one letter or of spaces,
    /// base64, a long word) would otherwise load: the vocabulary's backtracking index. It is read
    /// from `NAME.tiktoken.bpeindex` beside the vocabulary (a few milliseconds), or built and
    /// written there the first time (about half a second for o200k_base). Encoding never depends on
    /// calling this; servers call it at start-up so no request pays for it.
    public func warmUp() {
        _ = vocabulary.table.backtrackingIndex
    }
}
