extension Vocabulary {
    /// The readable reference merge, tiktoken's loop over arrays: join the adjacent pair with the
    /// lowest rank (leftmost on ties) until no pair is a token. Kept as the oracle that tests and
    /// fuzzers check ``BytePairMerge`` against.
    /// - Complexity: O(n²) lookups for a piece of n bytes; do not use it on long input.
    func referenceMerge(_ piece: [UInt8]) -> [Rank] {
        var parts = piece.map { [$0] }
        while parts.count > 1 {
            var best: (rank: Rank, index: Int)?
            for i in 0..<(parts.count - 1) {
                if let r = rank(of: parts[i] + parts[i + 1]), best == nil || r < best!.rank { best = (r, i) }
            }
            guard let best else { break }
            parts[best.index] += parts[best.index + 1]
            parts.remove(at: best.index + 1)
        }
        return parts.map { rank(of: $0)! }  // every part is a token: single bytes always are
    }
}
