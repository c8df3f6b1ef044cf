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
/// Layout (little-endian): magic `BPECACH1`; UInt64 source size, mtime seconds, mtime nanoseconds;
/// 64 bytes of sha256 hex; UInt64 count, max token length, rank limit, slot count, arena size;
/// 256 UInt32 byte ranks; spans; slots; arena; a UInt64 checksum of everything before it.
enum VocabularyCache {
    static let magic = Array("BPECACH1".utf8)
    static let headerSize = 8 + 3 * 8 + 64 + 5 * 8 + 256 * 4

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
        let arenaSize = Int(truncatingIfNeeded: u64(128))
        guard count > 0, rankLimit > 0, rankLimit < 1 << 31, slotCount > 0, slotCount.nonzeroBitCount == 1,
              slotCount < 1 << 32, arenaSize >= 0, arenaSize < 1 << 40, maxLength >= 0,
              headerSize + rankLimit * 8 + slotCount * 8 + arenaSize == raw.count else { return nil }
        var byteRanks = [Rank](repeating: 0, count: 256)
        for i in 0..<256 {
            byteRanks[i] = Rank(littleEndian: raw.loadUnaligned(fromByteOffset: 136 + i * 4, as: UInt32.self))
        }
        // The sections are 8-byte aligned in the file (the header is 1160 bytes) and in memory.
        let base = whole.baseAddress!
        let spans = UnsafeMutableBufferPointer(start: (base + headerSize).bindMemory(to: UInt64.self, capacity: rankLimit), count: rankLimit)
        let slots = UnsafeMutableBufferPointer(start: (base + headerSize + rankLimit * 8).bindMemory(to: UInt64.self, capacity: slotCount), count: slotCount)
        let arena = UnsafeMutableBufferPointer(start: (base + headerSize + rankLimit * 8 + slotCount * 8).bindMemory(to: UInt8.self, capacity: arenaSize), count: arenaSize)
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
        guard used == count, tokens == count, used * 2 <= slotCount,
              byteRanks.allSatisfy({ Int($0) < rankLimit && spans[Int($0)] >> 40 == 1 }) else { return nil }
        adopted = true
        let table = RankTable(storage: whole, arena: arena, spans: spans, slots: slots, byteRanks: byteRanks,
                              count: count, maxTokenLength: maxLength)
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
        put(UInt64(table.slots.count)); put(UInt64(table.arena.count))
        for rank in table.byteRanks { withUnsafeBytes(of: rank.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: UnsafeRawBufferPointer(table.spans))
        data.append(contentsOf: UnsafeRawBufferPointer(table.slots))
        data.append(contentsOf: UnsafeRawBufferPointer(table.arena))
        put(data.withUnsafeBytes { checksum($0) })
        let temporary = path(for: source) + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var written = 0
        let ok = data.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n <= 0 { return false }
                written += n
            }
            return true
        }
        close(fd)
        if !ok || rename(temporary, path(for: source)) != 0 { unlink(temporary) }
    }
}
