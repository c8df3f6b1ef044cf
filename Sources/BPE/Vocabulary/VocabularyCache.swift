/// A compact binary copy of a parsed vocabulary, kept next to its `.tiktoken` file
/// (`NAME.tiktoken.bpecache`), so that loading skips base64 parsing and hashing.
///
/// The cache records the source's size, modification time and sha256. It is used only while the
/// source's size and modification time are unchanged and its sha256 is the one asked for; otherwise
/// the source is parsed (and its sha256 checked) again and the cache rewritten. A cache that is
/// damaged in any way is ignored and rebuilt: every span and slot is bounds-checked before use.
///
/// Layout (``BinaryFile``, little-endian): magic `BPECACH3`; UInt64 source size, mtime seconds, mtime nanoseconds;
/// 64 bytes of sha256 hex; UInt64 count, max token length, rank limit, slot count, arena size,
/// short-key slot count; 256 UInt32 byte ranks (`noRank` for a byte without a token); spans; slots; short-key slots (two UInt64 each);
/// 65536 UInt32 pair ranks; the character-boundary witness filter (`BytePairMerger+CharacterCuts.swift`,
/// ``BytePairMerger/boundaryFilterCount`` UInt64); arena; a UInt64 checksum of everything before it.
enum VocabularyCache {
    static let magic = Array("BPECACH3".utf8)
    static let headerSize = 8 + 3 * 8 + 64 + 6 * 8 + 256 * 4

    static func path(for source: String) -> String { source + ".bpecache" }

    struct SourceStamp: Equatable {
        var size: UInt64
        var seconds: UInt64
        var nanoseconds: UInt64
    }

    static func stamp(_ path: String) -> SourceStamp? {
        guard let status = POSIX.status(path) else { return nil }
        return SourceStamp(size: UInt64(status.size), seconds: UInt64(bitPattern: status.modifiedSeconds),
                           nanoseconds: UInt64(bitPattern: status.modifiedNanoseconds))
    }

    /// The cached vocabulary for `source`, when a valid cache matches it (and `expectedSHA256`).
    static func load(source: String, expectedSHA256: String?) -> Vocabulary? {
        guard let stamp = stamp(source),
              let file = BinaryFile.Reader(path: path(for: source), magic: magic, minimumSize: headerSize) else { return nil }
        var adopted = false
        defer { if !adopted { file.deallocate() } }
        guard SourceStamp(size: file.u64(8), seconds: file.u64(16), nanoseconds: file.u64(24)) == stamp else { return nil }
        let sha = file.string(32..<96)
        if let expectedSHA256, expectedSHA256.lowercased() != sha { return nil }
        let count = file.int(96), maxLength = file.int(104)
        let rankLimit = file.int(112), slotCount = file.int(120)
        let arenaSize = file.int(128), shortCount = file.int(136)
        guard count > 0, rankLimit > 0, rankLimit <= 1 << 30, slotCount > 0, slotCount.nonzeroBitCount == 1,
              slotCount < 1 << 32, arenaSize >= 0, arenaSize < 1 << 40, maxLength >= 0,
              shortCount > 0, shortCount.nonzeroBitCount == 1, shortCount < 1 << 32,
              headerSize + rankLimit * 8 + slotCount * 8 + shortCount * 16 + 65536 * 4 + BytePairMerger.boundaryFilterCount * 8
                + arenaSize == file.payload.count else { return nil }
        let byteRanks = (0..<256).map { file.u32(144 + $0 * 4) }
        // The sections are 8-byte aligned in the file (the header is 1168 bytes) and in memory.
        var sections = file.sections(from: headerSize)
        let spans = sections.next(ArenaSpan.self, rankLimit)
        let slots = sections.next(UInt64.self, slotCount)
        let shortSlots = sections.next(UInt64.self, 2 * shortCount)
        let pairs = sections.next(Rank.self, 65536)
        let boundaryFilter = sections.next(UInt64.self, BytePairMerger.boundaryFilterCount)
        let arena = sections.next(UInt8.self, arenaSize)
        // Every span inside the arena and no longer than the longest token; every slot naming a
        // rank that has a span; every byte rank a one-byte token; the counts matching.
        var tokens = 0
        for span in spans where !span.isEmpty {
            guard span.length <= maxLength, span.offset + span.length <= arenaSize else { return nil }
            tokens += 1
        }
        var used = 0
        for slot in slots where slot != RankTable.emptySlot {
            let rank = Int(slot & 0xFFFF_FFFF)
            guard rank < rankLimit, !spans[rank].isEmpty else { return nil }
            used += 1
        }
        guard tokens == count, used * 2 <= slotCount,
              byteRanks.allSatisfy({ $0 == RankTable.noRank || (Int($0) < rankLimit && spans[Int($0)].length == 1) }) else { return nil }
        // Short-key slots name ranks whose tokens have the slot's length; some slot stays empty.
        var shortUsed = 0
        for i in 0..<shortCount where shortSlots[2 * i + 1] != 0 {
            let meta = shortSlots[2 * i + 1], rank = Int(meta & 0xFFFF_FFFF), length = Int(meta >> 32)
            guard rank < rankLimit, length >= 1, length <= 8, spans[rank].length == length else { return nil }
            shortUsed += 1
        }
        guard shortUsed < shortCount, shortUsed + used == count, pairs.allSatisfy({ $0 == RankTable.noRank || Int($0) < rankLimit }) else { return nil }
        adopted = true
        let table = RankTable(storage: file.whole, arena: arena, spans: spans, slots: slots, byteRanks: byteRanks,
                              count: count, maxTokenLength: maxLength, boundaryFilter: boundaryFilter,
                              short: ShortKeyTable(slots: shortSlots, pairs: pairs))
        return Vocabulary(table: table, sha256: sha)
    }

    /// Writes the cache for `vocabulary` read from `source` (atomically; failures are ignored: the
    /// cache only saves time).
    static func store(_ vocabulary: Vocabulary, source: String) {
        // The layout has no place for empty tokens: such rare files are parsed each time. (A byte
        // without a token is kept as `noRank` among the byte ranks.)
        guard let stamp = stamp(source), vocabulary.sha256.utf8.count == 64, vocabulary.emptyTokenRanks.isEmpty else { return }
        let table = vocabulary.table
        var file = BinaryFile.Writer(magic: magic, capacity: headerSize + table.spans.count * 8 + table.slots.count * 8 + table.arena.count)
        file.put(stamp.size); file.put(stamp.seconds); file.put(stamp.nanoseconds)
        file.put(vocabulary.sha256)
        file.put(table.count); file.put(table.maxTokenLength); file.put(table.spans.count)
        file.put(table.slots.count); file.put(table.arena.count); file.put(table.short.slots.count / 2)
        for rank in table.byteRanks { file.put(rank) }
        file.put(table.spans)
        file.put(table.slots)
        file.put(table.short.slots)
        file.put(table.short.pairs)
        file.put(table.boundaryFilter)
        file.put(table.arena)
        file.write(to: path(for: source))
    }
}
