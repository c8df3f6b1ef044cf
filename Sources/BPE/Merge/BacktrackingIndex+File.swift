/// The backtracking index kept next to its vocabulary (`NAME.tiktoken.bpeindex`): building it
/// merges every token's bytes, which costs far more than reading and checking it back (the
/// Performance article has the figures).
///
/// Layout (``BinaryFile``, little-endian): magic `BPEINDX3`; 64 bytes of the vocabulary's sha256 hex; UInt64 rank
/// limit, node count, slot count, unreachable count, exact flag; the arrays as in
/// ``BacktrackingIndex/Layout``; a UInt64 checksum (``BinaryFile/checksum(_:)``) of everything
/// before it. A file for another vocabulary, of another size, with a bad checksum or with any value
/// out of range is ignored (and rebuilt): every entry is checked, including that splits and next
/// prefixes are strictly shorter than their token, so no walk over a damaged index can loop.
extension BacktrackingIndex {
    static let magic = Array("BPEINDX3".utf8)
    static let headerSize = 8 + 64 + 5 * 8

    static func path(for source: String) -> String { source + ".bpeindex" }

    /// The index stored at `path` for `table` (whose vocabulary has `sha256`), when valid.
    static func load(path: String, sha256: String, table: RankTable) -> BacktrackingIndex? {
        guard let file = BinaryFile.Reader(path: path, magic: magic, minimumSize: headerSize) else { return nil }
        var adopted = false
        defer { if !adopted { file.deallocate() } }
        guard file.string(8..<72) == sha256, file.int(72) == table.rankLimit else { return nil }
        let nodeCount = file.int(80), slotCount = file.int(88), unreachable = file.int(96), exact = file.int(104)
        guard nodeCount >= 257, nodeCount < 1 << 24, slotCount > 0, slotCount.nonzeroBitCount == 1, slotCount < 1 << 32,
              unreachable >= 0, exact == 0 || exact == 1 else { return nil }
        let layout = Layout(rankLimit: table.rankLimit, nodeCount: nodeCount, slotCount: slotCount)
        guard headerSize + layout.byteCount == file.payload.count else { return nil }
        let index = BacktrackingIndex(storage: file.whole, offset: headerSize, layout: layout, isExact: exact == 1,
                                      unreachableCount: unreachable)
        adopted = true
        return index.isConsistent(with: table) ? index : nil
    }

    /// Whether every entry is in range for `table` (see the type's invariants).
    private func isConsistent(with table: RankTable) -> Bool {
        let rankLimit = table.rankLimit
        guard table.maxTokenLength < 256 else { return isConsistent(with: table, length: { table.length(of: $0) }) }
        // Token lengths in one byte each (200 KB for o200k), read in order from the table's spans:
        // the checks below look lengths up at random, and the 1.6 MB spans would miss the cache.
        let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: rankLimit)
        defer { lengths.deallocate() }
        for rank in 0..<rankLimit { lengths[rank] = UInt8(truncatingIfNeeded: table.length(of: Rank(rank))) }
        return isConsistent(with: table) { Int(lengths[Int($0)]) }
    }

    /// ``isConsistent(with:)`` given each rank's token length (0 for a rank that is not a token;
    /// only called with ranks below the table's rank limit).
    @inline(__always)
    private func isConsistent(with table: RankTable, length: (Rank) -> Int) -> Bool {
        let rankLimit = table.rankLimit
        for rank in 0..<rankLimit {
            let left = splitLeft[rank], right = splitRight[rank], next = nextPrefix[rank]
            let size = length(Rank(rank))
            if (left == .max) != (right == .max) { return false }
            if left != .max {
                let l = Rank(truncatingIfNeeded: left), r = Rank(truncatingIfNeeded: right)
                guard Int(l) < rankLimit, Int(r) < rankLimit, size > 1, length(l) > 0, length(r) > 0,
                      length(l) + length(r) == size, Int(left >> 32) == length(l), Int(right >> 32) == length(r)
                else { return false }
            }
            if next != RankTable.noRank {
                guard Int(next) < rankLimit, length(next) > 0, length(next) < size else { return false }
            }
        }
        // The exact flag says that no token is marked; no bit past the last rank is set.
        guard isExact == !nonMonotone.contains(where: { $0 != 0 }) else { return false }
        if rankLimit & 63 != 0, nonMonotone[nonMonotone.count - 1] >> UInt64(rankLimit & 63) != 0 { return false }
        for i in 0..<256 where nodeToken[1 + i] != table.byteRanks[i] { return false }
        for token in nodeToken where token != RankTable.noRank {
            guard Int(token) < rankLimit, length(token) > 0 else { return false }
        }
        for pair in 0..<65536 {
            let node = UInt32(truncatingIfNeeded: depthTwo[pair]), rank = Rank(truncatingIfNeeded: depthTwo[pair] >> 32)
            guard node == BacktrackingIndex.noNode || (node >= 257 && Int(node) < nodeCount),
                  rank == table.short.pairs[pair] else { return false }
        }
        var used = 0
        for slot in slots where slot != BacktrackingIndex.emptySlot {
            guard Int(slot >> 40) < nodeCount, Int(slot & 0xFFFF_FFFF) < nodeCount else { return false }
            used += 1
        }
        return 4 * used <= 3 * slots.count
    }

    /// Writes the index for the vocabulary with `sha256` to `path` (atomically; failures are
    /// ignored: the file only saves time).
    func store(path: String, sha256: String) {
        guard sha256.utf8.count == 64 else { return }
        var file = BinaryFile.Writer(magic: BacktrackingIndex.magic, capacity: BacktrackingIndex.headerSize + block.count)
        file.put(sha256)
        file.put(splitLeft.count); file.put(nodeCount); file.put(slots.count); file.put(unreachableCount); file.put(isExact ? 1 : 0)
        file.put(block)
        file.write(to: path)
    }
}
