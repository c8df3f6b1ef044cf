/// Merging a piece (or a part of a cut piece) from its characters instead of its bytes.
///
/// ## Definitions
/// A *boundary* is a place between two characters of the piece (as in
/// `BytePairMerger+CharacterCuts.swift`). A boundary is *hard* when no token, at that place,
/// holds part of a character on either side of it (only tokens holding both characters whole
/// may span it). A character's *own merge* is the merge of its bytes alone, and its *top rank*
/// the highest rank of the merges that own merge performs.
///
/// A character of two or three bytes is *taken whole* when both of its boundaries (those inside
/// the piece) are hard and its own merge ends in one token. The *initial parts* are: a character
/// taken whole, as that token; a one-byte character, as its byte; every other character (four
/// bytes, a soft boundary, or an own merge that ends in several tokens), as its bytes.
///
/// ## Invariant
/// Merging the initial parts by tiktoken's rule gives the piece's merge, as long as every merge
/// it performs has a higher rank than the top rank of each character taken whole inside the two
/// parts it joins. (The rule is checked as the merge runs: a merge that breaks it abandons the
/// character parts, and the piece is merged from its bytes.)
///
/// Why: no token at a hard boundary holds part of a character, so while a character taken whole
/// is unfinished, the only pairs with a rank that touch its bytes lie inside it, and its bytes go
/// through its own merge, each at most its top rank. Take the merges of the bytes that are not
/// inside a character's own merge: they join whole characters (or bytes of characters not taken
/// whole), and the same pairs exist in the character-part merge. At each step of the byte merge,
/// the lowest pair is either inside an unfinished character, or one of those merges; a pair of the
/// character-part merge that the byte merge cannot have yet (it touches a character still
/// unfinished there) cannot be the lowest of the character-part merge at that step: it would be
/// joined, and the checked rule puts its rank above that character's top rank, hence above the
/// pending pair inside the character and so above the byte merge's lowest pair. So both merges
/// pick the same joins in the same order (ties too, since the leftmost of one rank is the same
/// pair), and end in the same parts.
///
/// ## Why
/// Outside Latin script, a character is two or three bytes that merge into one token before
/// anything else happens to them: merging from characters saves those merges, and the rescans
/// that each merge costs. On UI strings in Thai, Japanese and Russian that halves the merges of
/// the pieces the cache does not hold (Japanese: a quarter are left); where a vocabulary has
/// tokens holding part of the next character (` ` and the lead bytes of a Devanagari letter), the
/// characters at those boundaries stay bytes and the rest are still taken whole.
///
/// ## Worked example
/// In o200k_base, `мир` (D0 BC D0 B8 D1 80) is no token, and tokens join each pair of its
/// characters (`ми`, `ир`), so it is not cut; no token holds part of one of them, so both
/// boundaries are hard. Its initial parts are `м` 500, `и` 331, `р` 345 (each the merge of its
/// two bytes, so those are also their top ranks). The pairs are `ми` 3688 and `ир` 2479: `ир`
/// merges (2479 is above 331 and 345), `мир` is no token, and the tokens are 500, 2479 — one
/// merge, where the byte merge makes five. (`CharacterPartTests.workedExample` checks exactly this.)
extension BytePairMerger {
    /// The boundaries of a piece of at most ``characterCutLimit`` bytes that are not hard (a token
    /// may hold part of a character there), by the byte offset where the next character starts.
    struct SoftBoundaries {
        private var low: UInt64 = 0, high: UInt64 = 0

        @inline(__always) mutating func insert(_ offset: Int) {
            if offset < 64 { low |= 1 &<< UInt64(truncatingIfNeeded: offset) } else { high |= 1 &<< UInt64(truncatingIfNeeded: offset &- 64) }
        }

        @inline(__always) func contains(_ offset: Int) -> Bool {
            let word = offset < 64 ? low : high
            return word &>> UInt64(truncatingIfNeeded: offset & 63) & 1 != 0
        }
    }

    /// Appends the merge of `piece[start..<end]` (whole characters, well-formed in structure, of a
    /// piece whose soft boundaries are `soft`; `start` and `end` are no soft boundaries) from its
    /// initial parts (see above). Appends nothing and returns false when no character is taken
    /// whole, when there are more than ``shortPieceLimit`` initial parts, or when a merge breaks the
    /// rule: the caller then merges the bytes.
    /// - Complexity: O(k²) for k initial parts, like the rescanning loop.
    @inline(never)
    func mergeByCharacters(_ piece: UnsafePointer<UInt8>, from start: Int, to end: Int, soft: SoftBoundaries,
                           into output: inout [Rank]) -> Bool {
        let count = end &- start
        // First, without any lookup, whether enough characters may be taken whole to pay for
        // the setup (a quarter fewer parts than bytes).
        var estimate = 0
        var i = start
        while i < end {
            let length = BytePairMerger.sequenceLength(piece[i])
            estimate &+= (length == 2 || length == 3) && !soft.contains(i) && !soft.contains(i &+ length) ? 1 : length
            i &+= length
        }
        guard estimate &* 4 <= count &* 3 else { return false }
        let padded = (count + 8) & ~7
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: padded + (5 * count + 2) / 2) { buffer in
            let keys = buffer.baseAddress!
            let starts = UnsafeMutableRawPointer(keys + padded).bindMemory(to: UInt32.self, capacity: 5 * count + 1)
            let tokens = starts + count + 1, next = tokens + count, previous = next + count
            // One more than the top rank of the characters taken whole in each part (0: none).
            let limits = previous + count
            let pairs = table.short.pairs
            var n = 0
            @inline(__always) func add(_ offset: Int, _ token: Rank, _ limit: UInt32) {
                starts[n] = UInt32(truncatingIfNeeded: offset)
                tokens[n] = token
                limits[n] = limit
                n &+= 1
            }
            var i = start
            while i < end {
                let lead = Int(piece[i])
                let length = BytePairMerger.sequenceLength(piece[i])
                var whole = RankTable.noRank, top = RankTable.noRank
                if length == 2 || length == 3, !soft.contains(i), !soft.contains(i &+ length) {
                    let second = Int(piece[i &+ 1])
                    if length == 2 {
                        whole = pairs[lead | second << 8]
                        top = whole
                    } else {
                        let third = Int(piece[i &+ 2])
                        let merged = table.short.characters[(lead & 0x0F) << 12 | (second & 0x3F) << 6 | third & 0x3F]
                        if merged < 1 << 30 {
                            whole = merged
                            top = Swift.max(merged, Swift.min(pairs[lead | second << 8], pairs[second | third << 8]))
                        }
                    }
                }
                if whole != RankTable.noRank {
                    add(i, whole, top &+ 1)
                } else {
                    for k in i..<(i &+ length) { add(k, table.byteRanks[Int(piece[k])], 0) }
                }
                i &+= length
            }
            guard n >= 2, n &* 4 <= count &* 3, n <= BytePairMerger.shortPieceLimit else { return false }
            starts[n] = UInt32(truncatingIfNeeded: end)
            @inline(__always) func key(_ first: Int, _ afterLast: Int) -> UInt64 {
                let from = Int(starts[first])
                return UInt64(table.rank(piece + from, Int(starts[afterLast]) &- from)) << 32 | UInt64(first)
            }
            for k in 0..<n {
                next[k] = UInt32(k &+ 1)
                previous[k] = UInt32(truncatingIfNeeded: k &- 1)
            }
            for k in 0..<(n &- 1) { keys[k] = key(k, k &+ 2) }
            let scanned = (n + 7) & ~7
            (keys + n - 1).initialize(repeating: .max, count: scanned - n + 1)
            let none = UInt64(RankTable.noRank) << 32
            while true {
                let best = BytePairMerger.lowestKey(keys, scanned)
                if best >= none { break }
                let rank = Rank(truncatingIfNeeded: best >> 32), at = Int(truncatingIfNeeded: best & 0xFFFF_FFFF)
                let right = Int(next[at])
                let limit = Swift.max(limits[at], limits[right])
                if rank < limit { return false }
                limits[at] = limit
                BytePairMerger.joinParts(at, into: rank, end: n, tokens: tokens, next: next, previous: previous, keys: keys, key: key)
            }
            var part = 0
            while part < n {
                output.append(tokens[part])
                part = Int(next[part])
            }
            return true
        }
    }
}
