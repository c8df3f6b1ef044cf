/// Byte-pair merging of one pre-token piece.
///
/// ## Definitions
/// A *piece* is a byte string cut out by the pre-tokenizer. A *part* is a run of the piece's bytes;
/// at the start every byte is its own part. A *pair* is two adjacent parts; its rank is the rank of
/// their concatenated bytes, or none when that is not a token.
///
/// ## Invariants
/// - Every part is a token (every single byte is a token, and a merge only forms tokens).
/// - The parts always cover the piece, in order, without overlap.
///
/// ## Algorithm (tiktoken's semantics)
/// While some pair has a rank, merge the pair with the lowest rank; among pairs with the same
/// rank (the same bytes at several places) merge the leftmost. The tokens are the final parts.
///
/// Three implementations give identical results:
/// - short pieces (the vast majority): first cut between characters that no token joins
///   (`RankTable+CharacterCuts.swift`; a lone character then costs a table lookup), then
///   tiktoken's loop over linked parts in stack buffers, rescanning for the minimum after each
///   merge — O(n²) but tiny constants (unrolled for up to four bytes);
/// - long pieces (over 48 bytes): first cut where no token contains the two bytes either side
///   (``JoinablePairs``), then, for runs still long, the backtracking search of
///   `RankTable+Backtracking.swift` — O(n) — when the vocabulary meets its exactness condition
///   (every built-in one does);
/// - long pieces otherwise: a 4-ary heap keyed by `(rank, start)` with lazy deletion over a linked
///   list of parts — O(n log n). A heap entry is stale when its part has since merged away or the
///   part's pair changed; since a part's right neighbour only grows, a pair's bytes (and so its rank)
///   never repeat, so `(rank, start)` identifies a live entry exactly.
///
/// ## Worked example
/// With the ranks `ab` 0, `bc` 1, `abc` 2 and the piece `abcbc`:
/// pairs `ab`(0) `bc`(1) `cb`(–) `bc`(1) → merge `ab`: parts `ab|c|b|c`, pairs `abc`(2) `cb`(–) `bc`(1)
/// → merge `bc` (rank 1): `ab|c|bc`, pairs `abc`(2) `cbc`(–) → merge `abc`: `abc|bc`. Tokens: 2, 1.
/// (`BytePairMergeTests.testWorkedExample` checks exactly this.)
extension RankTable {
    /// Pieces up to this many bytes use the rescanning loop; longer ones are cut, then backtracked (or the heap).
    static let shortPieceLimit = 48
    /// Pieces up to this many bytes merge in stack buffers; longer ones allocate.
    static let stackPieceLimit = 2048

    /// Appends the tokens of the `count` bytes at `piece` to `output`.
    /// - Complexity: O(1) hash probe when the piece is one token; O(n) for long pieces with a
    ///   backtracking index, O(n log n) without.
    @inline(__always)
    func encodePiece(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count == 1 {
            output.append(byteRanks[Int(piece.pointee)])
            return
        }
        let whole = rank(piece, count)
        if whole != RankTable.noRank {
            output.append(whole)
            return
        }
        if count <= RankTable.shortPieceLimit {
            mergeShort(piece, count, into: &output)
        } else {
            mergeLongPiece(piece, count, into: &output)
        }
    }

    /// tiktoken's loop, over a linked list of parts in stack buffers; one to four bytes unrolled;
    /// cut first between characters no token joins (`RankTable+CharacterCuts.swift`).
    @inline(__always)
    func mergeShort(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count > 3 && mergeCutAtCharacters(piece, count, into: &output) { return }
        mergeShortRun(piece, count, into: &output)
    }

    /// ``mergeShort(_:_:into:)`` without the cutting: for the parts of a cut piece.
    @inline(__always)
    func mergeShortRun(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count <= 3 {
            mergeTiny(piece, count, into: &output)
        } else if count == 4 {
            mergeFour(piece, into: &output)
        } else {
            mergeLoop(piece, count, into: &output)
        }
    }

    /// The loop for four bytes `abcd`, unrolled: the lowest of the pairs `ab`, `bc`, `cd` merges
    /// (leftmost on a tie), then the lower of the two new pairs, then the whole if it is a token.
    /// A four-byte character (an emoji) is such a piece or part, as are many base64 pieces.
    @inline(never)
    func mergeFour(_ p: UnsafePointer<UInt8>, into output: inout [Rank]) {
        let none = RankTable.noRank
        let a = Int(p[0]), b = Int(p[1]), c = Int(p[2]), d = Int(p[3])
        let ab = short.pairs[a | b << 8], bc = short.pairs[b | c << 8], cd = short.pairs[c | d << 8]
        /// Two parts, `p[0..<k]` (token `x`) and `p[k..<4]` (token `y`): one token if the four bytes are one.
        @inline(__always) func two(_ x: Rank, _ y: Rank) {
            let whole = short.rank(p, 4)
            if whole != none {
                output.append(whole)
            } else {
                output.append(x)
                output.append(y)
            }
        }
        if ab == none && bc == none && cd == none {
            output.append(byteRanks[a]); output.append(byteRanks[b]); output.append(byteRanks[c]); output.append(byteRanks[d])
        } else if ab <= bc && ab <= cd {
            // ab | c | d: pairs abc, cd.
            let abc = short.rank(p, 3)
            if abc == none && cd == none {
                output.append(ab); output.append(byteRanks[c]); output.append(byteRanks[d])
            } else if abc <= cd {
                two(abc, byteRanks[d])
            } else {
                two(ab, cd)
            }
        } else if bc <= cd {
            // a | bc | d: pairs abc, bcd.
            let abc = short.rank(p, 3), bcd = short.rank(p + 1, 3)
            if abc == none && bcd == none {
                output.append(byteRanks[a]); output.append(bc); output.append(byteRanks[d])
            } else if abc <= bcd {
                two(abc, byteRanks[d])
            } else {
                two(byteRanks[a], bcd)
            }
        } else {
            // a | b | cd: pairs ab, bcd.
            let bcd = short.rank(p + 1, 3)
            if ab == none && bcd == none {
                output.append(byteRanks[a]); output.append(byteRanks[b]); output.append(cd)
            } else if ab <= bcd {
                two(ab, cd)
            } else {
                two(byteRanks[a], bcd)
            }
        }
    }

    @inline(__always)
    private func mergeLoop(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: RankTable.mergeScratchWords(count)) { buffer in
            let (tokens, next) = mergeShortParts(piece, count, scratch: buffer.baseAddress!, beforeEachMerge: { _, _, _, _ in })
            var part = 0
            while part < count {
                output.append(tokens[part])
                part = Int(next[part])
            }
        }
    }

    /// The loop for one to three bytes, unrolled: of three bytes `abc`, the lower-ranked of the
    /// pairs `ab` and `bc` merges (the left one on a tie), then `abc` if it is a token. Random
    /// base64 and symbol runs are mostly such pieces, and the general loop's setup would cost
    /// more than the merge.
    @inline(__always)
    func mergeTiny(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        let a = Int(piece[0])
        if count == 1 {
            output.append(byteRanks[a])
            return
        }
        let b = Int(piece[1])
        let ab = short.pairs[a | b << 8]
        if count == 2 {
            if ab != RankTable.noRank {
                output.append(ab)
            } else {
                output.append(byteRanks[a])
                output.append(byteRanks[b])
            }
            return
        }
        let c = Int(piece[2])
        let bc = short.pairs[b | c << 8]
        if ab == RankTable.noRank && bc == RankTable.noRank {
            output.append(byteRanks[a])
            output.append(byteRanks[b])
            output.append(byteRanks[c])
            return
        }
        let abc = short.rank(piece, 3)
        if abc != RankTable.noRank {
            output.append(abc)
        } else if ab <= bc {
            output.append(ab)
            output.append(byteRanks[c])
        } else {
            output.append(byteRanks[a])
            output.append(bc)
        }
    }

    /// The scratch words ``mergeShortParts(_:_:scratch:beforeEachMerge:)`` needs for `count` bytes.
    @inline(__always)
    static func mergeScratchWords(_ count: Int) -> Int { ((count + 7) & ~7) + (3 * count + 1) / 2 }

    /// The loop of ``mergeShort(_:_:into:)``, calling `beforeEachMerge(rank, parts, left, right)`
    /// before each merge (the merge's rank, the number of parts before it, the two tokens it joins).
    ///
    /// Parts are named by their start offset: `next[s]` is where the part after `s` starts (`count`
    /// after the last), `tokens[s]` is part `s`'s token, and `keys[s]` is `rank << 32 | s` for the
    /// rank of joining part `s` with the next part (`noRank` when that is not a token, and for
    /// offsets inside a part). No array is shifted by a merge. The smallest key is the lowest rank
    /// and, among equal ranks, the leftmost part — tiktoken's choice — so one scan finds the merge:
    /// eight keys per step into four running minimums (`keys` is padded to a multiple of eight).
    ///
    /// - Parameter scratch: ``mergeScratchWords(_:)`` words.
    /// - Returns: pointers into `scratch`; the final parts are reached from offset 0 along `next`.
    /// - Complexity: O(n) per merge, O(n²) in all; rank lookups O(1) per merge.
    @inline(__always)
    func mergeShortParts(_ piece: UnsafePointer<UInt8>, _ count: Int, scratch: UnsafeMutablePointer<UInt64>,
                         beforeEachMerge: (Rank, Int, Rank, Rank) -> Void)
        -> (tokens: UnsafeMutablePointer<Rank>, next: UnsafeMutablePointer<UInt32>) {
        let padded = (count + 7) & ~7
        let keys = scratch
        let tokens = UnsafeMutableRawPointer(scratch + padded).bindMemory(to: UInt32.self, capacity: 3 * count)
        let next = tokens + count, previous = next + count
        @inline(__always) func key(_ rank: Rank, _ offset: Int) -> UInt64 { UInt64(rank) << 32 | UInt64(offset) }
        let pairs = short.pairs.baseAddress!
        byteRanks.withUnsafeBufferPointer { byteRanks in
            for i in 0..<count { tokens[i] = byteRanks[Int(piece[i])] }
        }
        for i in 0..<count {
            next[i] = UInt32(i + 1)
            previous[i] = UInt32(truncatingIfNeeded: i &- 1)
        }
        for i in 0..<(count - 1) { keys[i] = key(pairs[Int(piece[i]) | Int(piece[i + 1]) << 8], i) }
        (keys + count - 1).initialize(repeating: .max, count: padded - count + 1)
        let none = UInt64(RankTable.noRank) << 32
        var parts = count
        while true {
            // Four independent minimums, eight keys per step: no chain of dependent compares.
            var m0 = UInt64.max, m1 = UInt64.max, m2 = UInt64.max, m3 = UInt64.max
            var i = 0
            while i < padded {
                m0 = Swift.min(m0, Swift.min(keys[i], keys[i &+ 4]))
                m1 = Swift.min(m1, Swift.min(keys[i &+ 1], keys[i &+ 5]))
                m2 = Swift.min(m2, Swift.min(keys[i &+ 2], keys[i &+ 6]))
                m3 = Swift.min(m3, Swift.min(keys[i &+ 3], keys[i &+ 7]))
                i &+= 8
            }
            let best = Swift.min(Swift.min(m0, m1), Swift.min(m2, m3))
            if best >= none { break }
            let rank = Rank(truncatingIfNeeded: best >> 32), at = Int(truncatingIfNeeded: best & 0xFFFF_FFFF)
            // Merge part `at` with the part after it.
            let right = Int(next[at])
            beforeEachMerge(rank, parts, tokens[at], tokens[right])
            parts -= 1
            tokens[at] = rank
            keys[right] = .max
            let after = Int(next[right])
            next[at] = UInt32(after)
            if after < count {
                previous[after] = UInt32(at)
                keys[at] = key(self.rank(piece + at, Int(next[after]) - at), at)
            } else {
                keys[at] = .max
            }
            if at > 0 {
                let before = Int(previous[at])
                keys[before] = key(self.rank(piece + before, after - before), before)
            }
        }
        return (tokens, next)
    }

    /// Heap-driven merging for long pieces; same result as `mergeShort`.
    func mergeLong(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        // Four UInt32 arrays of `count` and a heap of up to 3 * count UInt64 keys.
        let words = 4 * count + 2 * 3 * count
        if count <= RankTable.stackPieceLimit {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: words) { buffer in
                mergeLong(piece, count, scratch: buffer.baseAddress!, into: &output)
            }
        } else {
            let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
            defer { buffer.deallocate() }
            mergeLong(piece, count, scratch: buffer, into: &output)
        }
    }

    @inline(__always)
    private func mergeLong(_ piece: UnsafePointer<UInt8>, _ count: Int, scratch: UnsafeMutablePointer<UInt32>,
                           into output: inout [Rank]) {
        // Parts are named by their start offset. next[s] is the start of the following part
        // (count at the end); prev[s] of the preceding one (-1 at the start).
        let next = UnsafeMutableRawPointer(scratch).bindMemory(to: Int32.self, capacity: count)
        let prev = next + count
        let pairRanks = UnsafeMutableRawPointer(prev + count).bindMemory(to: Rank.self, capacity: count)
        let tokens = pairRanks + count
        var heap = MinHeap(storage: UnsafeMutableRawPointer(tokens + count).bindMemory(to: UInt64.self, capacity: 3 * count))
        for i in 0..<count {
            next[i] = Int32(i + 1)
            prev[i] = Int32(i - 1)
            tokens[i] = byteRanks[Int(piece[i])]
            let r = i + 1 < count ? short.pairs[Int(piece[i]) | Int(piece[i + 1]) << 8] : RankTable.noRank
            pairRanks[i] = r
            if r != RankTable.noRank { heap.push(UInt64(r) << 32 | UInt64(i)) }
        }
        @inline(__always) func end(_ s: Int) -> Int { Int(next[s]) }

        while let top = heap.pop() {
            let r = Rank(top >> 32)
            let s = Int(top & 0xFFFF_FFFF)
            guard pairRanks[s] == r else { continue }  // stale
            let right = Int(next[s])
            tokens[s] = r
            pairRanks[right] = RankTable.noRank  // the right part is gone
            next[s] = next[right]
            if end(s) < count { prev[end(s)] = Int32(s) }
            let after = end(s)
            let newRank = after < count ? rank(piece + s, end(after) - s) : RankTable.noRank
            pairRanks[s] = newRank
            if newRank != RankTable.noRank { heap.push(UInt64(newRank) << 32 | UInt64(s)) }
            let p = Int(prev[s])
            if p >= 0 {
                let leftRank = rank(piece + p, end(s) - p)
                pairRanks[p] = leftRank
                if leftRank != RankTable.noRank { heap.push(UInt64(leftRank) << 32 | UInt64(p)) }
            }
        }
        var s = 0
        while s < count {
            output.append(tokens[s])
            s = Int(next[s])
        }
    }
}

/// A 4-ary min-heap of `UInt64` keys in caller-provided storage (half the levels of a binary
/// heap, and a node's four children share a cache line, which pays on megabyte pieces).
///
/// Capacity: at most 3n pushes happen for an n-byte piece (n - 1 initial pairs, then at most two
/// per merge, and there are at most n - 1 merges), so 3n keys always suffice.
struct MinHeap {
    private let storage: UnsafeMutablePointer<UInt64>
    private(set) var count = 0

    init(storage: UnsafeMutablePointer<UInt64>) {
        self.storage = storage
    }

    @inline(__always)
    mutating func push(_ key: UInt64) {
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 2
            if storage[parent] <= key { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = key
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        guard count > 0 else { return nil }
        let top = storage[0]
        count -= 1
        if count > 0 {
            let key = storage[count]
            var i = 0
            while true {
                let first = 4 * i + 1
                if first >= count { break }
                var child = first
                var smallest = storage[first]
                let last = min(first + 4, count)
                var c = first + 1
                while c < last {
                    let v = storage[c]
                    if v < smallest { smallest = v; child = c }
                    c += 1
                }
                if key <= smallest { break }
                storage[i] = storage[child]
                i = child
            }
            storage[i] = key
        }
        return top
    }
}
