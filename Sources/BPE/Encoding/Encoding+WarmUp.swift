extension Encoding {
    /// Makes ready now what the first encode and the first long piece (over 48 bytes: a run of one
    /// letter or of spaces, base64, a long word) would otherwise build: the scanner's character
    /// class table, the set of byte pairs where long pieces may be cut, and the vocabulary's
    /// backtracking index. The index is read from `NAME.tiktoken.bpeindex` beside the vocabulary
    /// (the Performance article has the warm-up's time), or built and written there the first
    /// time, which takes much longer. A vocabulary loaded from memory
    /// (``Encoding/named(_:tiktokenData:)``) or from a folder that is not writable has no file to
    /// keep it in, so each process builds it. Encoding never depends on calling this; servers call it at
    /// start-up so no request pays for it.
    public func warmUp() {
        if preTokenizer.scanner != nil { _ = CharacterClasses.shared }
        _ = merger.joinablePairs
        _ = merger.backtrackingIndex
    }
}
