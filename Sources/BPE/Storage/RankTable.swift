import Synchronization
/// A flat open-addressing hash table from byte strings to ranks, over one byte arena.
///
/// ## Layout
/// - `arena`: every token's bytes, back to back, in file order.
/// - `spans[rank]`: where that rank's bytes live in the arena (``ArenaSpan``), empty when no
///   token has that rank (vocabularies may have gaps, as p50k_base does at 50256).
/// - `slots`: a power-of-two array of `tag << 32 | rank` for the tokens longer than eight bytes,
///   where `tag` is the top half of the key's hash; `UInt64.max` marks an empty slot. Load factor at
///   most 1/2, linear probing. Tokens of at most eight bytes live in ``ShortKeyTable``, whose slots
///   hold the key itself.
///
/// A probe hashes the key once, then compares a 32-bit tag before it touches the arena, so a miss
/// almost never reads token bytes. Nothing is allocated per lookup.
///
/// Immutable after construction and safe to share across threads.
final class RankTable: @unchecked Sendable {
    static let noRank: Rank = .max
    static let emptySlot: UInt64 = .max

    let arena: UnsafeMutableBufferPointer<UInt8>
    let spans: UnsafeMutableBufferPointer<ArenaSpan>
    let slots: UnsafeMutableBufferPointer<UInt64>
    private let mask: Int
    /// A blocked Bloom filter of the tags in `slots` (two bits in one of 8,192 words: 64 KiB; for
    /// o200k's 51,688 long tokens about 18% of the bits end up set (computed, not counted), so about
    /// 3% of strings that are no token pass), built at load in one pass over the slots. Most
    /// long strings looked up are no token (long pieces of random text, merge candidates of
    /// several characters); they stop here, in cache, instead of missing in the 1 MiB `slots`.
    private let longFilter: BlockedBloomFilter
    static let longFilterWords = 1 << 13
    /// The witnesses of which characters some token joins (see `BytePairMerger+CharacterCuts.swift`);
    /// inside `storage` when adopted from a cache.
    let boundaryFilter: UnsafeMutableBufferPointer<UInt64>
    /// Ranks of the 256 single bytes (`noRank` for a byte that is not a token).
    let byteRanks: [Rank]
    /// The number of tokens stored.
    let count: Int
    /// The longest token, in bytes: a longer key is a miss without hashing.
    let maxTokenLength: Int
    /// The accelerator for keys of at most eight bytes and for byte pairs.
    /// (A `let`: a `var` of a class costs a dynamic exclusivity check on every lookup.)
    let short: ShortKeyTable
    /// The trie and merge trees for long pieces, built on the first long piece
    /// (see `BytePairMerger+Backtracking.swift`).
    let lazyBacktrackingIndex = AtomicLazyReference<BacktrackingIndex>()
    /// Where long pieces may be cut before merging (see ``JoinablePairs``), built on the first long piece.
    let lazyJoinablePairs = AtomicLazyReference<JoinablePairs>()
    /// Where that index is kept (`NAME.tiktoken.bpeindex`) and the vocabulary's sha256, when the
    /// vocabulary came from a file.
    let backtrackingIndexFile = Mutex<(path: String, sha256: String)?>(nil)

    /// Builds a table from parsed entries.
    /// - Parameters:
    ///   - arena: token bytes; `entries[i]` names its slice of it.
    ///   - entries: `(offset, length, rank)`, unique bytes and unique ranks (callers check).
    init(arena source: UnsafeRawBufferPointer, entries: UnsafeBufferPointer<(offset: UInt32, length: UInt32, rank: Rank)>, rankLimit: Int) {
        arena = .allocate(capacity: max(source.count, 1))
        _ = arena.initialize(from: source)
        spans = .allocate(capacity: rankLimit)
        spans.initialize(repeating: .empty)
        let longCount = entries.reduce(0) { $0 + ($1.length > 8 ? 1 : 0) }
        var capacity = 16
        while capacity < longCount * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: RankTable.emptySlot)
        mask = capacity - 1
        var longest = 0
        var singles = [Rank](repeating: RankTable.noRank, count: 256)
        for entry in entries {
            spans[Int(entry.rank)] = ArenaSpan(offset: Int(entry.offset), length: Int(entry.length))
            longest = max(longest, Int(entry.length))
            let key = arena.baseAddress! + Int(entry.offset)
            if entry.length == 1 { singles[Int(key.pointee)] = entry.rank }
            if entry.length <= 8 { continue }
            let h = RankTable.hash(key, Int(entry.length))
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index] != RankTable.emptySlot { index = (index + 1) & mask }
            slots[index] = (h >> 32) << 32 | UInt64(entry.rank)
        }
        byteRanks = singles
        count = entries.count
        maxTokenLength = longest
        longFilter = RankTable.makeLongFilter(slots)
        boundaryFilter = BytePairMerger.makeBoundaryFilter(arena: arena, spans: spans)
        short = RankTable.makeShortTable(arena: arena, spans: spans)
        storage = nil
    }

    /// Adopts already built arrays that live inside `storage` (a ``VocabularyCache`` file read into
    /// memory), which the table then owns; they must be consistent: the cache checks every span
    /// and slot before calling this.
    init(storage: UnsafeMutableRawBufferPointer, arena: UnsafeMutableBufferPointer<UInt8>, spans: UnsafeMutableBufferPointer<ArenaSpan>,
         slots: UnsafeMutableBufferPointer<UInt64>, byteRanks: [Rank], count: Int, maxTokenLength: Int,
         boundaryFilter: UnsafeMutableBufferPointer<UInt64>, short: ShortKeyTable) {
        precondition(boundaryFilter.count == BytePairMerger.boundaryFilterCount)
        precondition(slots.count.nonzeroBitCount == 1 && byteRanks.count == 256)
        self.storage = storage
        self.arena = arena
        self.spans = spans
        self.slots = slots
        mask = slots.count - 1
        longFilter = RankTable.makeLongFilter(slots)
        self.boundaryFilter = boundaryFilter
        self.byteRanks = byteRanks
        self.count = count
        self.maxTokenLength = maxTokenLength
        self.short = short
    }

    /// The filter key of a long key with hash `h`, from the half of `h` that a slot keeps as its
    /// tag (bits 32…56; the slot index comes from the low bits), so it can be built from the slots.
    @inline(__always) static func longFilterKey(_ h: UInt64) -> BlockedBloomFilter.Key {
        BlockedBloomFilter.Key(word: Int(truncatingIfNeeded: (h >> 32) & UInt64(longFilterWords - 1)), hash: h,
                               firstShift: 45, secondShift: 51)
    }

    private static func makeLongFilter(_ slots: UnsafeMutableBufferPointer<UInt64>) -> BlockedBloomFilter {
        let filter = BlockedBloomFilter.allocate(words: longFilterWords)
        for slot in slots where slot != RankTable.emptySlot {
            filter.insert(longFilterKey(slot))
        }
        return filter
    }

    private static func makeShortTable(arena: UnsafeMutableBufferPointer<UInt8>, spans: UnsafeMutableBufferPointer<ArenaSpan>) -> ShortKeyTable {
        var tokens = [(key: UInt64, length: Int, rank: Rank)]()
        tokens.reserveCapacity(spans.count)
        for rank in 0..<spans.count {
            let span = spans[rank]
            let length = span.length
            if length > 0, length <= 8 {
                tokens.append((ShortKeyTable.pack(span.bytes(in: arena), length), length, Rank(rank)))
            }
        }
        return ShortKeyTable(tokens: tokens)
    }

    /// The single allocation holding arena, spans, slots and the boundary filter, when adopted from a cache.
    private let storage: UnsafeMutableRawBufferPointer?

    deinit {
        short.deallocate()
        longFilter.deallocate()
        if let storage {
            storage.deallocate()
        } else {
            boundaryFilter.deallocate()
            arena.deallocate()
            spans.deallocate()
            slots.deallocate()
        }
    }

    /// The number of rank positions (largest rank + 1).
    var rankLimit: Int { spans.count }

    /// The rank of the `length` bytes at `key`, or `noRank`.
    /// - Complexity: O(length) expected.
    @inline(__always)
    func rank(_ key: UnsafePointer<UInt8>, _ length: Int) -> Rank {
        if length <= 8 { return short.rank(key, length) }
        return longRank(key, length)
    }

    /// ``rank(_:_:)`` of more than eight bytes: out of line, so that the merge loops inline the
    /// short-key path at each of their lookups and call only for long keys.
    @inline(never)
    func longRank(_ key: UnsafePointer<UInt8>, _ length: Int) -> Rank {
        if length > maxTokenLength { return RankTable.noRank }
        return rank(key, length, hash: RankTable.hash(key, length))
    }

    /// The rank of the `length` (more than eight) bytes at `key` whose ``hash(_:_:)`` is `h`, for a
    /// caller that needs the hash too.
    @inline(__always)
    func rank(_ key: UnsafePointer<UInt8>, _ length: Int, hash h: UInt64) -> Rank {
        if length > maxTokenLength { return RankTable.noRank }
        if !longFilter.mayContain(RankTable.longFilterKey(h)) { return RankTable.noRank }
        let tag = h >> 32
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[index]
            if slot == RankTable.emptySlot { return RankTable.noRank }
            if slot >> 32 == tag {
                let rank = Rank(truncatingIfNeeded: slot)
                let span = spans[Int(rank)]
                if span.length == length, POSIX.equal(span.bytes(in: arena), key, count: length) {
                    return rank
                }
            }
            index = (index + 1) & mask
        }
    }

    /// The bytes of `rank`, or `nil` when no token has it.
    @inline(__always)
    func withBytes<R>(of rank: Rank, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard Int(rank) < spans.count else { return nil }
        let span = spans[Int(rank)]
        guard !span.isEmpty else { return nil }
        return try body(UnsafeBufferPointer(start: span.bytes(in: arena), count: span.length))
    }

    /// The length in bytes of `rank`'s token, 0 when no token has it.
    @inline(__always)
    func length(of rank: Rank) -> Int {
        Int(rank) < spans.count ? spans[Int(rank)].length : 0
    }

    /// A 64-bit hash of `length` bytes: whole 8-byte words, then the tail as overlapping 4- or
    /// 8-byte loads (never reading outside the key), mixed with the length.
    @inline(__always)
    static func hash(_ key: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        let raw = UnsafeRawPointer(key)
        var h = UInt64(truncatingIfNeeded: length) &* multiplier
        @inline(__always) func mix(_ v: UInt64) {
            h = (h ^ v) &* multiplier
            h ^= h >> 29
        }
        if length >= 8 {
            var i = 0
            while i + 8 <= length {
                mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < length { mix(raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)) }
        } else if length >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            mix(low | high << 32)
        } else if length > 0 {
            let v = UInt64(key[0]) | UInt64(key[length >> 1]) << 8 | UInt64(key[length - 1]) << 16
            mix(v)
        }
        h = (h ^ (h >> 32)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 31)
    }
}
