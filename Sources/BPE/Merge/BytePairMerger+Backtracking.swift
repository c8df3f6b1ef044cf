/// Linear-time byte-pair merging of long pieces by backtracking search, giving exactly the result of
/// tiktoken's merge loop (``BytePairMerger/mergeShortPiece(_:_:into:)``).
///
/// ## Definitions
/// Two adjacent tokens `l`, `r` are a *valid pair* when merging the bytes of `l` followed by those
/// of `r` gives `l, r` again: no merge ever crosses their boundary. (Terms as in
/// ``BacktrackingIndex``.)
///
/// ## Invariants
/// - A token sequence is the merge result of its bytes exactly when every token is reachable and
///   every adjacent pair is valid. (Before the first merge across any boundary, each token's bytes
///   merge as they would alone; a pair that is valid never merges across its boundary, so no first
///   such merge exists. Conversely the final parts of a merge are reachable and pairwise valid.)
/// - So the encoding of every prefix that ends on a token boundary of some valid sequence is
///   unique: when the search stands at position `p`, its stack is the encoding of the first `p`
///   bytes. A position from which every candidate failed fails again whenever it is reached, so it
///   is marked dead once.
///
/// ## Algorithm
/// At position `p`, try the longest reachable token that starts there; if it is not a valid pair
/// with the token before it, or it ends on a dead position, try the next shorter token that is a
/// prefix of it; if none is left, mark `p` dead, pop the previous token and try its next shorter
/// prefix. Each position is entered at most once and tries at most one candidate per token length,
/// so the work is linear in the piece's length.
///
/// For two monotone tokens (``BacktrackingIndex``), the pair test walks the two merge trees
/// downwards from `l` and `r` along the boundary: the right edge of `l`'s tree and the left edge
/// of `r`'s, visiting, in reverse order of formation, each state `(a, b)` of the two parts that
/// touch the boundary. At each state the parts `a`, `b` would merge across the boundary (making
/// the pair invalid) if their bytes are a token whose rank is below the rank of the merge that
/// consumes `a` (the merge to its left wins a tie) and at most the rank of the merge that consumes
/// `b` (the merge across the boundary is further left). Because each token's own merges happen in
/// rank order, the part formed last is the one with the higher rank, which fixes the order of the
/// states (the parts of a monotone token are monotone: a part's merges inside the token are its
/// own merges). A pair with a token that is not monotone is tested by its definition: its bytes
/// are merged with tiktoken's loop. Such tokens are rare and at most as long as the longest token,
/// so the search stays linear.
///
/// ## Worked example
/// Ranks `ab` 0, `bc` 1, `abc` 2 (after the single bytes); the piece `abcbc`. At position 0 the
/// longest token is `abc`; alone, it is accepted. At position 3 the longest is `bc`: the pair
/// (`abc`, `bc`) is valid (no token `abcbc`; `c`+`bc` and `c`+`b` are not tokens). Result: `abc`,
/// `bc`, as tiktoken's loop gives (`BytePairMergeTests.workedExample`).
extension BytePairMerger {
    /// The backtracking index, built on first use. The first thread to need it reads (or builds)
    /// it while holding the lock of its file's name; threads that need it meanwhile wait for that
    /// one instead of reading 15 MB (or spending half a second building) in parallel.
    var backtrackingIndex: BacktrackingIndex {
        table.lazyBacktrackingIndex.load() ?? table.backtrackingIndexFile.withLock { file in
            table.lazyBacktrackingIndex.load() ?? table.lazyBacktrackingIndex.storeIfNil(readOrBuildBacktrackingIndex(file))
        }
    }

    /// The backtracking index when a long piece or ``Encoding/warmUp()`` has made it, else `nil`
    /// (a piece cache asks once per call until it is there: see
    /// ``mergePiece(_:_:search:validPairs:into:)``).
    var loadedBacktrackingIndex: BacktrackingIndex? { table.lazyBacktrackingIndex.load() }

    /// The index from its file when valid, else built (and written, when the vocabulary has a file).
    private func readOrBuildBacktrackingIndex(_ file: (path: String, sha256: String)?) -> BacktrackingIndex {
        guard let file else { return BacktrackingIndex(merger: self) }
        let path = BacktrackingIndex.path(for: file.path)
        if let index = BacktrackingIndex.load(path: path, sha256: file.sha256, table: table) { return index }
        let index = BacktrackingIndex(merger: self)
        index.store(path: path, sha256: file.sha256)
        return index
    }

    /// The backtracking search. Returns false (having appended nothing) when it has tried `budget`
    /// candidates without finishing, or if no sequence of valid pairs spelt the piece (which cannot
    /// happen). `validPairs`: a memo of pair tests kept across searches (a piece cache's), else
    /// the search keeps its own for long pairs.
    func mergeByBacktracking(_ piece: UnsafePointer<UInt8>, _ count: Int, _ index: BacktrackingIndex,
                             budget: Int = .max, validPairs: ValidPairMemo? = nil, into output: inout [Rank]) -> Bool {
        precondition(count > 0)
        let base = output.count
        var budget = budget
        let nextPrefix = index.nextPrefix.baseAddress!
        var memo = PairMemo(shared: validPairs)
        defer { memo.deallocate() }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (count >> 6) + 1) { buffer in
            let dead = buffer.baseAddress!
            dead.initialize(repeating: 0, count: buffer.count)
            var position = 0
            var (candidate, candidateLength) = index.longestToken(piece, count)
            var last = RankTable.noRank, lastLength = 0  // the token before `position`
            while true {
                budget -= 1
                if budget < 0 {
                    output.removeSubrange(base...)
                    return false
                }
                let end = position + candidateLength
                if dead[end >> 6] & (1 << UInt64(end & 63)) == 0,
                   last == RankTable.noRank
                    || memo.isValidPair(last, lastLength, candidate, candidateLength, at: piece + position, index, self) {
                    output.append(candidate)
                    position = end
                    if position == count { return true }
                    (last, lastLength) = (candidate, candidateLength)
                    (candidate, candidateLength) = index.longestToken(piece + position, count - position)
                    continue
                }
                var next = nextPrefix[Int(candidate)]
                while next == RankTable.noRank {
                    // Every token starting at `position` failed: no encoding passes through it.
                    guard output.count > base else { return false }
                    dead[position >> 6] |= 1 << UInt64(position & 63)
                    let popped = output.removeLast()
                    position -= table.length(of: popped)
                    last = output.count > base ? output[output.count - 1] : RankTable.noRank
                    lastLength = last == RankTable.noRank ? 0 : table.length(of: last)
                    next = nextPrefix[Int(popped)]
                }
                candidate = next
                candidateLength = table.length(of: next)
            }
        }
    }

    /// The answers of the pair test for one search: the caller's ``ValidPairMemo`` for every pair
    /// when it gives one (a piece cache's), else a memo of the search's own for pairs of long
    /// tokens. The walk costs a look-up of up to both tokens' length per level of their trees, and
    /// a search may meet the same pairs again and again: in a run of one repeated byte, a long
    /// token can be a valid pair with the token before it and yet be followed by none, so every
    /// candidate after it is tested in vain, at every such place (Tekken's spaces: about 190 tests
    /// per token, with some 200 distinct pairs). The search's own memo is allocated at its first
    /// long pair.
    struct PairMemo {
        static let slots = 1024
        /// Without a shared memo, pairs of at least this many bytes in all are remembered; shorter
        /// ones are cheap.
        static let minimumLength = 24
        private let shared: ValidPairMemo?
        private var own: ValidPairMemo?

        init(shared: ValidPairMemo?) {
            self.shared = shared
        }

        func deallocate() { own?.deallocate() }

        @inline(__always)
        mutating func isValidPair(_ left: Rank, _ leftLength: Int, _ right: Rank, _ rightLength: Int,
                                  at boundary: UnsafePointer<UInt8>, _ index: BacktrackingIndex, _ merger: BytePairMerger) -> Bool {
            if left >> 31 == 0, let shared {
                return shared.isValidPair(left, right) {
                    merger.isValidPair(left, leftLength, right, rightLength, at: boundary, index)
                }
            }
            if leftLength + rightLength < PairMemo.minimumLength || left >> 31 != 0 {
                return merger.isValidPair(left, leftLength, right, rightLength, at: boundary, index)
            }
            return remembered(left, leftLength, right, rightLength, at: boundary, index, merger)
        }

        @inline(never)
        private mutating func remembered(_ left: Rank, _ leftLength: Int, _ right: Rank, _ rightLength: Int,
                                         at boundary: UnsafePointer<UInt8>, _ index: BacktrackingIndex, _ merger: BytePairMerger) -> Bool {
            let memo = own ?? {
                let memo = ValidPairMemo(slots: PairMemo.slots)
                own = memo
                return memo
            }()
            return memo.isValidPair(left, right) {
                merger.isValidPair(left, leftLength, right, rightLength, at: boundary, index)
            }
        }
    }

    /// Whether merging the bytes of `left` followed by `right` (whose boundary is at `boundary` in
    /// the input) gives `left, right` again: by the walk when both are monotone, else by merging.
    /// - Complexity: O(depth of the two merge trees) lookups; O(length²) for a token that is not
    ///   monotone.
    @inline(__always)
    func isValidPair(_ left: Rank, _ leftLength: Int, _ right: Rank, _ rightLength: Int, at boundary: UnsafePointer<UInt8>,
                     _ index: BacktrackingIndex) -> Bool {
        if index.isExact || (index.isMonotone(left) && index.isMonotone(right)) {
            return isValidPairByWalk(left, leftLength, right, rightLength, at: boundary, index)
        }
        return isValidPairByMerging(leftLength, rightLength, at: boundary)
    }

    /// ``isValidPair(_:_:_:_:at:_:)`` by its definition: tiktoken's loop over the two tokens' bytes.
    @inline(never)
    func isValidPairByMerging(_ leftLength: Int, _ rightLength: Int, at boundary: UnsafePointer<UInt8>) -> Bool {
        let count = leftLength + rightLength
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: BytePairMerger.mergeScratchWords(count)) { buffer in
            let (_, next) = rescanMerge(boundary - leftLength, count, scratch: buffer.baseAddress!) { _, _, _, _ in }
            return next[0] == UInt32(leftLength) && next[leftLength] == UInt32(count)
        }
    }

    /// The walk down the two merge trees (the type's documentation), for two monotone tokens.
    @inline(__always)
    func isValidPairByWalk(_ left: Rank, _ leftLength: Int, _ right: Rank, _ rightLength: Int, at boundary: UnsafePointer<UInt8>,
                     _ index: BacktrackingIndex) -> Bool {
        var a = left, b = right
        var lengthA = leftLength, lengthB = rightLength
        var limitA = RankTable.noRank, limitB = RankTable.noRank  // ranks of the merges consuming a, b
        let splitLeft = index.splitLeft.baseAddress!, splitRight = index.splitRight.baseAddress!
        let longest = table.maxTokenLength
        while true {
            // Two long parts spell no token: no look-up (long runs of one byte meet such pairs).
            let across = lengthA + lengthB > longest ? RankTable.noRank : table.rank(boundary - lengthA, lengthA + lengthB)
            if across != RankTable.noRank, across < limitA, across <= limitB { return false }
            if lengthA == 1 {
                if lengthB == 1 { return true }
                limitB = b
                let split = splitLeft[Int(b)]
                b = Rank(truncatingIfNeeded: split); lengthB = Int(split >> 32)
            } else if lengthB == 1 || a > b {
                limitA = a
                let split = splitRight[Int(a)]
                a = Rank(truncatingIfNeeded: split); lengthA = Int(split >> 32)
            } else {
                limitB = b
                let split = splitLeft[Int(b)]
                b = Rank(truncatingIfNeeded: split); lengthB = Int(split >> 32)
            }
        }
    }
}
