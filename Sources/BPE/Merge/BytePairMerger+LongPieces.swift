/// The long-piece tier (over ``BytePairMerger/shortPieceLimit`` bytes): cut where no merge can
/// cross, then merge each run by the tier its length calls for.
extension BytePairMerger {
    /// Where long pieces may be cut (built on first use).
    var joinablePairs: JoinablePairs {
        table.lazyJoinablePairs.load() ?? table.lazyJoinablePairs.storeIfNil(JoinablePairs(table: table))
    }

    /// Appends the tokens of a piece that is not one token and is longer than
    /// ``shortPieceLimit``. The piece is first cut wherever the bytes either side occur together in
    /// no token (``JoinablePairs``: no merge can cross such a place, so the result is the same);
    /// each run between cuts is then a byte, a short merge, or a long run merged by backtracking.
    /// - Complexity: O(n · L) for n bytes and tokens of at most L bytes (O(n · L²) where tokens
    ///   that are not monotone meet, see ``BacktrackingIndex``).
    @inline(never)
    func mergeLongPiece(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        let joinable = joinablePairs
        var start = 0
        for i in 1..<count where !joinable.contains(piece[i - 1], piece[i]) {
            mergeRunBetweenCuts(piece + start, i - start, into: &output)
            start = i
        }
        if start == 0 {
            mergeLongRun(piece, count, into: &output)
        } else {
            mergeRunBetweenCuts(piece + start, count - start, into: &output)
        }
    }

    /// Appends the tokens of a run of a long piece between two cuts. No whole-token shortcut here:
    /// that is tiktoken's rule for a whole piece only, and a run that spells a token the merges
    /// never reach (a vocabulary may have such tokens) must still be merged byte by byte.
    @inline(__always)
    private func mergeRunBetweenCuts(_ run: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count == 1 {
            output.append(table.byteRanks[Int(run.pointee)])
        } else if count > BytePairMerger.shortPieceLimit {
            mergeLongRun(run, count, into: &output)
        } else {
            mergeShortPiece(run, count, into: &output)
        }
    }

    /// A run of up to this many bytes whose search tries more than two candidates a byte goes to
    /// the heap instead.
    static let searchBudgetLimit = 4096

    /// The backtracking search, which is linear; but where a valid pair is often followed by no
    /// token (a run of one repeated byte of moderate length, where nearly every length is a token:
    /// `-` ×200 meets 112 dead ends in o200k_base), it tries many candidates for each token, and
    /// the heap costs less. So a run of at most ``searchBudgetLimit`` bytes gets two candidates a
    /// byte, then the heap (O(n log n) on a bounded n); a longer run stays with the search.
    private func mergeLongRun(_ run: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        let budget = count <= BytePairMerger.searchBudgetLimit ? 2 * count : .max
        if mergeByBacktracking(run, count, backtrackingIndex, budget: budget, into: &output) { return }
        mergeWithHeap(run, count, into: &output)
    }
}
