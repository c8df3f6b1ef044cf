/// The short-piece tier (at most ``BytePairMerger/shortPieceLimit`` bytes): tiktoken's loop.
///
/// A piece is first cut between characters no token joins (`BytePairMerger+CharacterCuts.swift`);
/// what stays is merged by rescanning: one to four bytes unrolled, longer runs over a linked list of
/// parts in stack buffers, rescanning for the lowest pair after each merge.
extension BytePairMerger {
    /// tiktoken's loop, over a linked list of parts in stack buffers; one to four bytes unrolled;
    /// cut first between characters no token joins (`BytePairMerger+CharacterCuts.swift`).
    /// (Out of line: see ``BytePairMerger`` on inlining.)
    @inline(never)
    func mergeShortPiece(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count > 3 && mergeCutAtCharacters(piece, count, into: &output) { return }
        mergeUncut(piece, count, into: &output)
    }

    /// Whether the backtracking search (`BytePairMerger+Backtracking.swift`) is likely to merge a
    /// long piece (a piece cache asks for pieces over ``shortPieceLimit`` bytes) for less than
    /// cutting it at characters and merging the parts: when its last character is outside ASCII
    /// and below U+3000, and at least half of its bytes are outside ASCII. Letters of alphabets
    /// and abugidas (Thai, Khmer, Tamil, Devanagari, Cyrillic…) join into tokens of several
    /// characters, and tokens often hold part of the next character, so such pieces have few
    /// places to cut and the rescanning loop is quadratic; the search tries a few long tokens and
    /// tests each pair, and a piece cache remembers the tests (``ValidPairMemo``). From U+3000 on
    /// (kana, CJK ideographs, Hangul, full-width forms) and for emoji, tokens are mostly one or two
    /// characters that no token joins, so the piece falls into parts at character boundaries for a
    /// table lookup each; Latin words with a few accented letters keep the tiers too. Either way
    /// the result is the same: this only picks the cheaper exact path.
    /// - Complexity: O(1) for a piece it turns down by its last character, else O(n) a word at a
    ///   time.
    @inline(__always)
    static func prefersSearch(_ piece: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        assert(count >= 8)
        var last = count &- 1  // the last character's lead byte: at most three continuation bytes back
        while last > count &- 4 && piece[last] & 0xC0 == 0x80 { last &-= 1 }
        guard piece[last] >= 0xC0 && piece[last] < 0xE3 else { return false }
        let raw = UnsafeRawPointer(piece)
        let high: UInt64 = 0x8080_8080_8080_8080
        var outside = 0, i = 0
        while i &+ 8 <= count {
            outside &+= (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & high).nonzeroBitCount
            i &+= 8
        }
        if i < count {  // the last word again, without the bytes already counted
            let tail = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) &>> UInt64(truncatingIfNeeded: (8 &- (count &- i)) &* 8)
            outside &+= (tail & high).nonzeroBitCount
        }
        return outside &* 2 >= count
    }

    /// ``mergeShortPiece(_:_:into:)`` without the cutting: for the parts of a cut piece.
    @inline(__always)
    func mergeUncut(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count <= 3 {
            mergeUpToThree(piece, count, into: &output)
        } else if count == 4 {
            mergeFour(piece, into: &output)
        } else {
            mergeByRescan(piece, count, into: &output)
        }
    }

    /// The loop for four bytes `abcd`, unrolled: the lowest of the pairs `ab`, `bc`, `cd` merges
    /// (leftmost on a tie), then the lower of the two new pairs, then the whole if it is a token.
    /// A four-byte character (an emoji) is such a piece or part, as are many base64 pieces.
    @inline(never)
    func mergeFour(_ p: UnsafePointer<UInt8>, into output: inout [Rank]) {
        let none = RankTable.noRank
        let a = Int(p[0]), b = Int(p[1]), c = Int(p[2]), d = Int(p[3])
        let ab = table.short.pairs[a | b << 8], bc = table.short.pairs[b | c << 8], cd = table.short.pairs[c | d << 8]
        /// Two parts, `p[0..<k]` (token `x`) and `p[k..<4]` (token `y`): one token if the four bytes are one.
        @inline(__always) func two(_ x: Rank, _ y: Rank) {
            let whole = table.short.rank(p, 4)
            if whole != none {
                output.append(whole)
            } else {
                output.append(x)
                output.append(y)
            }
        }
        if ab == none && bc == none && cd == none {
            output.append(table.byteRanks[a]); output.append(table.byteRanks[b]); output.append(table.byteRanks[c]); output.append(table.byteRanks[d])
        } else if ab <= bc && ab <= cd {
            // ab | c | d: pairs abc, cd.
            let abc = table.short.rank(p, 3)
            if abc == none && cd == none {
                output.append(ab); output.append(table.byteRanks[c]); output.append(table.byteRanks[d])
            } else if abc <= cd {
                two(abc, table.byteRanks[d])
            } else {
                two(ab, cd)
            }
        } else if bc <= cd {
            // a | bc | d: pairs abc, bcd.
            let abc = table.short.rank(p, 3), bcd = table.short.rank(p + 1, 3)
            if abc == none && bcd == none {
                output.append(table.byteRanks[a]); output.append(bc); output.append(table.byteRanks[d])
            } else if abc <= bcd {
                two(abc, table.byteRanks[d])
            } else {
                two(table.byteRanks[a], bcd)
            }
        } else {
            // a | b | cd: pairs ab, bcd.
            let bcd = table.short.rank(p + 1, 3)
            if ab == none && bcd == none {
                output.append(table.byteRanks[a]); output.append(table.byteRanks[b]); output.append(cd)
            } else if ab <= bcd {
                two(ab, cd)
            } else {
                two(table.byteRanks[a], bcd)
            }
        }
    }

    @inline(__always)
    private func mergeByRescan(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: BytePairMerger.mergeScratchWords(count)) { buffer in
            let (tokens, next) = rescanMerge(piece, count, scratch: buffer.baseAddress!, beforeEachMerge: { _, _, _, _ in })
            var part = 0
            while part < count {
                output.append(tokens[part])
                part = Int(next[part])
            }
        }
    }

    /// ``BytePairMerger/appendTokens(_:_:into:)`` for one to three bytes (the piece cache's first
    /// case, kept small enough to inline there): the piece when it is one token, else its merge.
    @inline(__always)
    func appendUpToThree(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count == 3 {
            let whole = table.short.rank(piece, 3)
            if whole != RankTable.noRank {
                output.append(whole)
                return
            }
        }
        mergeUpToThree(piece, count, into: &output)  // one byte, or two (a pair is a token or two bytes)
    }

    /// The loop for one to three bytes, unrolled: of three bytes `abc`, the lower-ranked of the
    /// pairs `ab` and `bc` merges (the left one on a tie), then `abc` if it is a token. Random
    /// base64 and symbol runs are mostly such pieces, and the general loop's setup would cost
    /// more than the merge.
    @inline(__always)
    func mergeUpToThree(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        let a = Int(piece[0])
        if count == 1 {
            output.append(table.byteRanks[a])
            return
        }
        let b = Int(piece[1])
        let ab = table.short.pairs[a | b << 8]
        if count == 2 {
            if ab != RankTable.noRank {
                output.append(ab)
            } else {
                output.append(table.byteRanks[a])
                output.append(table.byteRanks[b])
            }
            return
        }
        let c = Int(piece[2])
        let bc = table.short.pairs[b | c << 8]
        if ab == RankTable.noRank && bc == RankTable.noRank {
            output.append(table.byteRanks[a])
            output.append(table.byteRanks[b])
            output.append(table.byteRanks[c])
            return
        }
        let abc = table.short.rank(piece, 3)
        if abc != RankTable.noRank {
            output.append(abc)
        } else if ab <= bc {
            output.append(ab)
            output.append(table.byteRanks[c])
        } else {
            output.append(table.byteRanks[a])
            output.append(bc)
        }
    }

    /// The lowest of `count` keys (a multiple of eight): four independent minimums, eight keys
    /// per step, so no chain of dependent compares.
    @inline(__always)
    static func lowestKey(_ keys: UnsafePointer<UInt64>, _ count: Int) -> UInt64 {
        var m0 = UInt64.max, m1 = UInt64.max, m2 = UInt64.max, m3 = UInt64.max
        var i = 0
        while i < count {
            m0 = Swift.min(m0, Swift.min(keys[i], keys[i &+ 4]))
            m1 = Swift.min(m1, Swift.min(keys[i &+ 1], keys[i &+ 5]))
            m2 = Swift.min(m2, Swift.min(keys[i &+ 2], keys[i &+ 6]))
            m3 = Swift.min(m3, Swift.min(keys[i &+ 3], keys[i &+ 7]))
            i &+= 8
        }
        return Swift.min(Swift.min(m0, m1), Swift.min(m2, m3))
    }

    /// Joins part `at` with the part after it into the token `rank` in the linked parts of a
    /// rescanning loop (``rescanMerge(_:_:scratch:beforeEachMerge:)``,
    /// ``mergeByCharacters(_:from:to:soft:into:)``), and keys again the pairs it now belongs to:
    /// `key(first, afterLast)` is the key of part `first` joined with the parts before
    /// `afterLast`; `end` is the name after the last part.
    @inline(__always)
    static func joinParts(_ at: Int, into rank: Rank, end: Int, tokens: UnsafeMutablePointer<Rank>,
                          next: UnsafeMutablePointer<UInt32>, previous: UnsafeMutablePointer<UInt32>,
                          keys: UnsafeMutablePointer<UInt64>, key: (_ first: Int, _ afterLast: Int) -> UInt64) {
        let right = Int(next[at])
        tokens[at] = rank
        keys[right] = .max
        let after = Int(next[right])
        next[at] = UInt32(after)
        if after < end {
            previous[after] = UInt32(at)
            keys[at] = key(at, Int(next[after]))
        } else {
            keys[at] = .max
        }
        if at > 0 {
            let before = Int(previous[at])
            keys[before] = key(before, after)
        }
    }

    /// The scratch words ``rescanMerge(_:_:scratch:beforeEachMerge:)`` needs for `count` bytes.
    @inline(__always)
    static func mergeScratchWords(_ count: Int) -> Int { ((count + 7) & ~7) + (3 * count + 1) / 2 }

    /// The loop of ``mergeShortPiece(_:_:into:)``, calling `beforeEachMerge(rank, parts, left, right)`
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
    func rescanMerge(_ piece: UnsafePointer<UInt8>, _ count: Int, scratch: UnsafeMutablePointer<UInt64>,
                         beforeEachMerge: (Rank, Int, Rank, Rank) -> Void)
        -> (tokens: UnsafeMutablePointer<Rank>, next: UnsafeMutablePointer<UInt32>) {
        let padded = (count + 7) & ~7
        let keys = scratch
        assert(count >= 2, "rescanMerge: a piece of two or more bytes")
        let tokens = UnsafeMutableRawPointer(scratch + padded).bindMemory(to: UInt32.self, capacity: 3 * count)
        let next = tokens + count, previous = next + count
        @inline(__always) func key(_ rank: Rank, _ offset: Int) -> UInt64 { UInt64(rank) << 32 | UInt64(offset) }
        let pairs = table.short.pairs.baseAddress!
        table.byteRanks.withUnsafeBufferPointer { byteRanks in
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
            let best = BytePairMerger.lowestKey(keys, padded)
            if best >= none { break }
            let rank = Rank(truncatingIfNeeded: best >> 32), at = Int(truncatingIfNeeded: best & 0xFFFF_FFFF)
            // Merge part `at` with the part after it.
            beforeEachMerge(rank, parts, tokens[at], tokens[Int(next[at])])
            parts -= 1
            BytePairMerger.joinParts(at, into: rank, end: count, tokens: tokens, next: next, previous: previous, keys: keys) {
                key(table.rank(piece + $0, $1 - $0), $0)
            }
        }
        return (tokens, next)
    }
}
