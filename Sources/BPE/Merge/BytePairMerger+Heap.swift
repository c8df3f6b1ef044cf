/// The heap tier: long runs of a vocabulary whose backtracking index is not exact.
///
/// A 4-ary heap (``MinHeap``) keyed by `(rank, start)` with lazy deletion over a linked list of
/// parts. A heap entry is stale when its part has since merged away or the part's pair changed;
/// since a part's right neighbour only grows, a pair's bytes (and so its rank) never repeat, so
/// `(rank, start)` identifies a live entry exactly.
extension BytePairMerger {
    /// Heap-driven merging for long pieces; same result as `mergeShortPiece`.
    func mergeWithHeap(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        // Four UInt32 arrays of `count` and a heap of up to 3 * count UInt64 keys.
        let words = 4 * count + 2 * 3 * count
        if count <= BytePairMerger.stackPieceLimit {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: words) { buffer in
                mergeWithHeap(piece, count, scratch: buffer.baseAddress!, into: &output)
            }
        } else {
            let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
            defer { buffer.deallocate() }
            mergeWithHeap(piece, count, scratch: buffer, into: &output)
        }
    }

    @inline(__always)
    private func mergeWithHeap(_ piece: UnsafePointer<UInt8>, _ count: Int, scratch: UnsafeMutablePointer<UInt32>,
                           into output: inout [Rank]) {
        // Parts are named by their start offset. next[s] is the start of the following part
        // (count at the end); prev[s] of the preceding one (-1 at the start).
        let next = UnsafeMutableRawPointer(scratch).bindMemory(to: Int32.self, capacity: count)
        let prev = next + count
        let pairRanks = UnsafeMutableRawPointer(prev + count).bindMemory(to: Rank.self, capacity: count)
        let tokens = pairRanks + count
        var heap = MinHeap(storage: UnsafeMutableRawPointer(tokens + count).bindMemory(to: UInt64.self, capacity: 3 * count),
                           capacity: 3 * count)
        for i in 0..<count {
            next[i] = Int32(i + 1)
            prev[i] = Int32(i - 1)
            tokens[i] = table.byteRanks[Int(piece[i])]
            let r = i + 1 < count ? table.short.pairs[Int(piece[i]) | Int(piece[i + 1]) << 8] : RankTable.noRank
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
            let newRank = after < count ? table.rank(piece + s, end(after) - s) : RankTable.noRank
            pairRanks[s] = newRank
            if newRank != RankTable.noRank { heap.push(UInt64(newRank) << 32 | UInt64(s)) }
            let p = Int(prev[s])
            if p >= 0 {
                let leftRank = table.rank(piece + p, end(s) - p)
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
