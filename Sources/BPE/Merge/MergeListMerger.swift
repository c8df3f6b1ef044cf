/// Byte-pair merging by a merges list, as Hugging Face tokenizers' `BPE` model merges a word.
///
/// ## Definitions
/// A *merge* is an entry `(left, right)` of the list; its *priority* is its index, and it makes
/// the token spelled by the two tokens' bytes. A piece starts as one symbol per byte (the
/// byte-level alphabet makes every byte one character).
///
/// ## Invariant
/// While some adjacent pair of symbols is a merge, the pair with the lowest priority is merged,
/// the leftmost one when it occurs more than once. A pair that is not in the list never merges,
/// even when its bytes spell a token: the rule that tiktoken's rank order does not have
/// (`BytePairMerger` merges by the rank of the merged bytes), so the two are never mixed up.
///
/// ## Algorithm
/// Pieces of up to `shortPieceLimit` bytes: the priority of each adjacent pair kept in an array
/// on the stack, the lowest found by a scan, and only the two pairs beside a merge looked up again
/// (O(n²) for small n). Longer pieces: a min-heap of (priority, position) for every adjacent pair
/// that is a merge; a popped entry is used only while its pair is still there (its left symbol
/// alive, followed by the same right symbol), and each merge pushes the new pairs with its
/// neighbours. O(n log n) for n bytes. Both pick the same pair each step, as the file loader
/// refuses lists in which two merges make the same token (the heap's staleness test relies on it).
///
/// ## Worked example
/// Merges `a b` (0), `b c` (1), `ab c` (2) on `abc`: `a b` has the lowest priority, then `ab c`:
/// one token `abc` (`MergeListMergerTests.workedExample`). With `b c` first instead, `a bc` is not
/// a merge, so the result is `a`, `bc` even if `abc` is a token.
struct MergeListMerger: Sendable {
    /// Each byte's token id, `RankTable.noRank` when the vocabulary has none.
    let byteIDs: [Rank]
    /// (left, right) → `priority << 32 | merged id`.
    let merges: PairTable
    /// With `ignore_merges`: a piece that is one token in this table is that token.
    let wholeTokens: RankTable?

    /// Appends the tokens of the `count` bytes at `piece`.
    /// - Throws: ``TokenEncodingError/noTokenForByte(_:)`` for a byte with no token.
    /// - Complexity: O(n log n).
    func appendTokens(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) throws(TokenEncodingError) {
        guard count > 0 else { return }
        if let wholeTokens {
            let whole = wholeTokens.rank(piece, count)
            if whole != RankTable.noRank { return output.append(whole) }
        }
        var ids = [Rank](repeating: 0, count: count)
        for i in 0..<count {
            let id = byteIDs[Int(piece[i])]
            if id == RankTable.noRank { throw .noTokenForByte(piece[i]) }
            ids[i] = id
        }
        if count == 1 { return output.append(ids[0]) }
        if count <= MergeListMerger.shortPieceLimit { return mergeShort(&ids, into: &output) }
        // Symbols are linked by position; a merged-away symbol has `next[i] == -2`.
        var next = (0..<count).map { Int32($0 + 1) }
        next[count - 1] = -1
        var previous = (0..<count).map { Int32($0 - 1) }
        var heap = [UInt64]()
        heap.reserveCapacity(count)
        func merge(_ left: Rank, _ right: Rank) -> UInt64? { merges.value(left, right) }
        func push(_ position: Int) {
            let right = Int(next[position])
            guard right >= 0, let found = merge(ids[position], ids[right]) else { return }
            heap.append(found & 0xFFFF_FFFF_0000_0000 | UInt64(position))
            var i = heap.count - 1
            while i > 0, heap[(i - 1) / 2] > heap[i] { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        func pop() -> UInt64? {
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var smallest = i
                    if l < heap.count, heap[l] < heap[smallest] { smallest = l }
                    if r < heap.count, heap[r] < heap[smallest] { smallest = r }
                    if smallest == i { break }
                    heap.swapAt(i, smallest)
                    i = smallest
                }
            }
            return top
        }
        for position in 0..<(count - 1) { push(position) }
        while let top = pop() {
            let position = Int(top & 0xFFFF_FFFF), priority = top >> 32
            guard next[position] >= 0 else { continue }  // merged away, or the last symbol
            let right = Int(next[position])
            guard let found = merge(ids[position], ids[right]), found >> 32 == priority else { continue }  // stale
            ids[position] = Rank(truncatingIfNeeded: found)
            next[position] = next[right]
            next[right] = -2
            if next[position] >= 0 { previous[Int(next[position])] = Int32(position) }
            if previous[position] >= 0 { push(Int(previous[position])) }
            push(position)
        }
        var position = 0
        while position >= 0 {
            output.append(ids[position])
            position = Int(next[position])
        }
    }

    /// Pieces of at most this many bytes merge by scanning (``mergeShort(_:into:)``).
    static let shortPieceLimit = 64

    /// Merges `ids` (at least two) by repeated scans for the lowest priority, leftmost first.
    private func mergeShort(_ ids: inout [Rank], into output: inout [Rank]) {
        var count = ids.count
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { priorities in
            let none = UInt64.max
            func priority(_ i: Int) -> UInt64 { merges.value(ids[i], ids[i + 1]) ?? none }
            for i in 0..<(count - 1) { priorities[i] = priority(i) }
            while count > 1 {
                var best = none, at = -1
                for i in 0..<(count - 1) where priorities[i] < best {
                    best = priorities[i]
                    at = i
                }
                if at < 0 { break }
                ids[at] = Rank(truncatingIfNeeded: best)
                ids.remove(at: at + 1)
                count -= 1
                for i in (at + 1)..<count where i < count - 1 { priorities[i] = priorities[i + 1] }
                if at + 1 < count { priorities[at] = priority(at) } else { priorities[at] = none }
                if at > 0 { priorities[at - 1] = priority(at - 1) }
            }
        }
        output.append(contentsOf: ids[0..<count])
    }
}

extension MergeListMerger {
    /// Remembers, for one long text, where the tokens of each recent piece are in the output, so a
    /// repeated word costs a hash and a comparison (direct-mapped; a hit is verified byte for byte,
    /// so results never depend on it).
    struct Cache {
        private struct Entry {
            var hash: UInt64 = 0
            var start = 0, length = 0, tokenStart = 0, tokenCount = 0
        }
        private let entries: UnsafeMutablePointer<Entry>
        private static let slotCount = 4096
        /// The text length from which a cache pays for itself.
        static let minimumText = 4096

        init() {
            entries = .allocate(capacity: Cache.slotCount)
            entries.initialize(repeating: Entry(), count: Cache.slotCount)
        }

        func deallocate() { entries.deallocate() }

        /// Appends the tokens of `length` bytes of `text` at `start`, through the cache.
        func appendTokens(_ text: UnsafePointer<UInt8>, start: Int, length: Int, merger: MergeListMerger,
                          into output: inout [Rank]) throws(TokenEncodingError) {
            guard length >= 2 else { return try merger.appendTokens(text + start, length, into: &output) }
            let hash = RankTable.hash(text + start, length)
            let slot = entries + Int(truncatingIfNeeded: hash >> 52)
            let entry = slot.pointee
            if entry.hash == hash, entry.length == length, POSIX.equal(text + entry.start, text + start, count: length) {
                // One by one: a slice of `output` appended to itself would copy the whole array.
                for i in entry.tokenStart..<(entry.tokenStart + entry.tokenCount) { output.append(output[i]) }
                return
            }
            let tokenStart = output.count
            try merger.appendTokens(text + start, length, into: &output)
            slot.pointee = Entry(hash: hash, start: start, length: length, tokenStart: tokenStart, tokenCount: output.count - tokenStart)
        }
    }
}
