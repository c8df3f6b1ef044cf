#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compact binary copy of a parsed vocabulary, kept next to its `.tiktoken` file
/// (`NAME.tiktoken.bpecache`), so that loading skips base64 parsing and hashing.
///
/// The cache records the source's size, modification time and sha256. It is used only while the
/// source's size and modification time are unchanged and its sha256 is the one asked for; otherwise
/// the source is parsed (and its sha256 checked) again and the cache rewritten. A cache that is
/// damaged in any way is ignored and rebuilt: every span and slot is bounds-checked before use.
///
/// Layout (little-endian): magic `BPECACH3`; UInt64 source size, mtime seconds, mtime nanoseconds;
/// 64 bytes of sha256 hex; UInt64 count, max token length, rank limit, slot count, arena size,
/// short-key slot count; 256 UInt32 byte ranks; spans; slots; short-key slots (two UInt64 each);
/// 65536 UInt32 pair ranks; the character-boundary witness filter (`RankTable+CharacterCuts.swift`,
/// ``RankTable/boundaryFilterCount`` UInt64); arena; a UInt64 checksum of everything before it.
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
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return SourceStamp(size: UInt64(info.st_size), seconds: UInt64(bitPattern: Int64(info.st_mtim.tv_sec)),
                           nanoseconds: UInt64(bitPattern: Int64(info.st_mtim.tv_nsec)))
    }

    /// The cached vocabulary for `source`, when a valid cache matches it (and `expectedSHA256`).
    static func load(source: String, expectedSHA256: String?) -> Vocabulary? {
        guard let stamp = stamp(source), let whole = FileBytes.readRaw(path(for: source)) else { return nil }
        var adopted = false
        defer { if !adopted { whole.deallocate() } }
        guard whole.count >= headerSize + 8 else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: whole[0..<(whole.count - 8)])
        guard checksum(raw) == UInt64(littleEndian: whole.loadUnaligned(fromByteOffset: raw.count, as: UInt64.self)) else {
            return nil
        }
        func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        guard Array(raw[0..<8]) == magic,
              SourceStamp(size: u64(8), seconds: u64(16), nanoseconds: u64(24)) == stamp else { return nil }
        let sha = String(decoding: raw[32..<96], as: UTF8.self)
        if let expectedSHA256, expectedSHA256.lowercased() != sha { return nil }
        let count = Int(truncatingIfNeeded: u64(96)), maxLength = Int(truncatingIfNeeded: u64(104))
        let rankLimit = Int(truncatingIfNeeded: u64(112)), slotCount = Int(truncatingIfNeeded: u64(120))
        let arenaSize = Int(truncatingIfNeeded: u64(128)), shortCount = Int(truncatingIfNeeded: u64(136))
        guard count > 0, rankLimit > 0, rankLimit <= 1 << 30, slotCount > 0, slotCount.nonzeroBitCount == 1,
              slotCount < 1 << 32, arenaSize >= 0, arenaSize < 1 << 40, maxLength >= 0,
              shortCount > 0, shortCount.nonzeroBitCount == 1, shortCount < 1 << 32,
              headerSize + rankLimit * 8 + slotCount * 8 + shortCount * 16 + 65536 * 4 + RankTable.boundaryFilterCount * 8
                + arenaSize == raw.count else { return nil }
        var byteRanks = [Rank](repeating: 0, count: 256)
        for i in 0..<256 {
            byteRanks[i] = Rank(littleEndian: raw.loadUnaligned(fromByteOffset: 144 + i * 4, as: UInt32.self))
        }
        // The sections are 8-byte aligned in the file (the header is 1168 bytes) and in memory.
        var cursor = whole.baseAddress! + headerSize
        func section<T>(_ type: T.Type, _ n: Int) -> UnsafeMutableBufferPointer<T> {
            defer { cursor += n * MemoryLayout<T>.stride }
            return UnsafeMutableBufferPointer(start: cursor.bindMemory(to: T.self, capacity: n), count: n)
        }
        let spans = section(UInt64.self, rankLimit)
        let slots = section(UInt64.self, slotCount)
        let shortSlots = section(UInt64.self, 2 * shortCount)
        let pairs = section(Rank.self, 65536)
        let boundaryFilter = section(UInt64.self, RankTable.boundaryFilterCount)
        let arena = section(UInt8.self, arenaSize)
        // Every span inside the arena and no longer than the longest token; every slot naming a
        // rank that has a span; every byte rank a one-byte token; the counts matching.
        var tokens = 0
        for span in spans where span != 0 {
            let offset = Int(span & 0xFF_FFFF_FFFF), length = Int(span >> 40)
            guard length > 0, length <= maxLength, offset + length <= arenaSize else { return nil }
            tokens += 1
        }
        var used = 0
        for slot in slots where slot != RankTable.emptySlot {
            let rank = Int(slot & 0xFFFF_FFFF)
            guard rank < rankLimit, spans[rank] != 0 else { return nil }
            used += 1
        }
        guard tokens == count, used * 2 <= slotCount,
              byteRanks.allSatisfy({ Int($0) < rankLimit && spans[Int($0)] >> 40 == 1 }) else { return nil }
        // Short-key slots name ranks whose tokens have the slot's length; some slot stays empty.
        var shortUsed = 0
        for i in 0..<shortCount where shortSlots[2 * i + 1] != 0 {
            let meta = shortSlots[2 * i + 1], rank = Int(meta & 0xFFFF_FFFF), length = Int(meta >> 32)
            guard rank < rankLimit, length >= 1, length <= 8, spans[rank] >> 40 == UInt64(length) else { return nil }
            shortUsed += 1
        }
        guard shortUsed < shortCount, shortUsed + used == count, pairs.allSatisfy({ $0 == RankTable.noRank || Int($0) < rankLimit }) else { return nil }
        adopted = true
        let table = RankTable(storage: whole, arena: arena, spans: spans, slots: slots, byteRanks: byteRanks,
                              count: count, maxTokenLength: maxLength, boundaryFilter: boundaryFilter,
                              short: ShortKeyTable(slots: shortSlots, pairs: pairs))
        return Vocabulary(table: table, sha256: sha)
    }

    /// A 64-bit checksum, four multiply-xor lanes over 8-byte words (the tail byte by byte).
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
        var i = 0
        while i + 32 <= raw.count {
            lanes.0 = (lanes.0 ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            lanes.1 = (lanes.1 ^ raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k
            lanes.2 = (lanes.2 ^ raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k
            lanes.3 = (lanes.3 ^ raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k
            lanes.0 ^= lanes.0 >> 31; lanes.1 ^= lanes.1 >> 31; lanes.2 ^= lanes.2 >> 31; lanes.3 ^= lanes.3 >> 31
            i += 32
        }
        var h = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7) ^ UInt64(raw.count)
        while i < raw.count {
            h = (h ^ UInt64(raw[i])) &* k
            i += 1
        }
        return h ^ (h >> 29)
    }

    /// Writes the cache for `vocabulary` read from `source` (atomically; failures are ignored: the
    /// cache only saves time).
    static func store(_ vocabulary: Vocabulary, source: String) {
        guard let stamp = stamp(source), vocabulary.sha256.utf8.count == 64 else { return }
        let table = vocabulary.table
        var data = [UInt8]()
        data.reserveCapacity(headerSize + table.spans.count * 8 + table.slots.count * 8 + table.arena.count)
        func put(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: magic)
        put(stamp.size); put(stamp.seconds); put(stamp.nanoseconds)
        data.append(contentsOf: vocabulary.sha256.utf8)
        put(UInt64(table.count)); put(UInt64(table.maxTokenLength)); put(UInt64(table.spans.count))
        put(UInt64(table.slots.count)); put(UInt64(table.arena.count)); put(UInt64(table.short.slots.count / 2))
        for rank in table.byteRanks { withUnsafeBytes(of: rank.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: UnsafeRawBufferPointer(table.spans))
        data.append(contentsOf: UnsafeRawBufferPointer(table.slots))
        data.append(contentsOf: UnsafeRawBufferPointer(table.short.slots))
        data.append(contentsOf: UnsafeRawBufferPointer(table.short.pairs))
        data.append(contentsOf: UnsafeRawBufferPointer(table.boundaryFilter))
        data.append(contentsOf: UnsafeRawBufferPointer(table.arena))
        put(data.withUnsafeBytes { checksum($0) })
        _ = data.withUnsafeBytes { FileBytes.writeAtomically($0, to: path(for: source)) }
    }
}
