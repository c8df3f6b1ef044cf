/// Rank lookup for keys of at most eight bytes, with the key stored in the slot: one memory access
/// per probe, where ``RankTable``'s general table needs three for a hit (slot, span, arena). Most
/// lookups during merging are of short keys. Also a dense table of every two-byte pair (256 KiB),
/// which answers the first round of pair lookups of every piece without hashing.
///
/// Built from the general table when a vocabulary is loaded; immutable afterwards.
struct ShortKeyTable: @unchecked Sendable {
    /// `key` packs the bytes little-endian; `meta` is `rank | length << 32`, 0 for an empty slot.
    /// Stored as two UInt64 per slot.
    let slots: UnsafeMutableBufferPointer<UInt64>
    private let mask: Int
    /// The rank of every two-byte string, `RankTable.noRank` where it is not a token.
    let pairs: UnsafeMutableBufferPointer<Rank>
    /// Whether `deallocate` frees the buffers (not when they live in a cache file's memory).
    private let owned: Bool
    /// Blocked Bloom filters of the keys of three to eight bytes (two bits in one 64-bit word per
    /// key): most lookups of strings that are not tokens stop here, in cache, instead of missing in
    /// the 4 MiB slot array. The keys of three bytes have their own 32 KiB (the merge loop asks
    /// for them most, and mostly in vain: a character plus a byte of the next), the longer ones
    /// share 128 KiB. Always built at load (about a millisecond).
    let filter: BlockedBloomFilter
    /// The merge of every three-byte string shaped like a three-byte UTF-8 character (lead byte
    /// `1110xxxx`, two continuation bytes `abc`), indexed by its sixteen payload bits (256 KiB):
    /// its rank when the merge ends in one token; `1 << 30 | rank(ab)` when it ends in `ab`, `c`;
    /// `2 << 30 | rank(bc)` for `a`, `bc`; `3 << 30` when no pair is a token (`abc` may still be a
    /// token the merges never reach; ``rank(_:_:)`` then asks the slots). One load answers both a
    /// lookup of such a string and the merge of such a character. (Ranks are below 2^30: the
    /// parser refuses sparser vocabularies, and the cache holds only what the parser built.)
    let characters: UnsafeMutableBufferPointer<Rank>
    static let characterNoMerge: Rank = 3 << 30
    static let filterWords = 1 << 14
    static let threeByteFilterWords = 1 << 12

    /// Adopts buffers from a ``VocabularyCache`` (checked there), without owning them.
    init(slots: UnsafeMutableBufferPointer<UInt64>, pairs: UnsafeMutableBufferPointer<Rank>) {
        precondition((slots.count / 2).nonzeroBitCount == 1 && pairs.count == 65536)
        self.slots = slots
        self.pairs = pairs
        mask = slots.count / 2 - 1
        owned = false
        (filter, characters) = ShortKeyTable.makeFilterAndCharacters(slots, pairs: pairs)
    }

    init(tokens: [(key: UInt64, length: Int, rank: Rank)]) {
        var capacity = 16
        while capacity < tokens.count + tokens.count / 2 { capacity <<= 1 }  // load factor at most 2/3
        slots = FileBytes.allocateTable(byteCount: 16 * capacity).bindMemory(to: UInt64.self)
        slots.initialize(repeating: 0)
        mask = capacity - 1
        owned = true
        pairs = .allocate(capacity: 65536)
        pairs.initialize(repeating: RankTable.noRank)
        for token in tokens {
            var index = ShortKeyTable.slot(token.key, token.length) & mask
            while slots[2 * index + 1] != 0 { index = (index + 1) & mask }
            slots[2 * index] = token.key
            slots[2 * index + 1] = UInt64(token.rank) | UInt64(token.length) << 32
            if token.length == 2 { pairs[Int(token.key)] = token.rank }
        }
        (filter, characters) = ShortKeyTable.makeFilterAndCharacters(slots, pairs: pairs)
    }

    private static func makeFilterAndCharacters(_ slots: UnsafeMutableBufferPointer<UInt64>, pairs: UnsafeMutableBufferPointer<Rank>)
        -> (BlockedBloomFilter, UnsafeMutableBufferPointer<Rank>) {
        let filter = BlockedBloomFilter.allocate(words: filterWords + threeByteFilterWords)
        let characters = UnsafeMutableBufferPointer<Rank>.allocate(capacity: 65536)
        characters.initialize(repeating: RankTable.noRank)
        for i in 0..<(slots.count / 2) {
            let meta = slots[2 * i + 1]
            let length = Int(meta >> 32)
            guard length >= 3 else { continue }
            let key = slots[2 * i]
            if length == 3, let index = characterIndex(key) { characters[index] = Rank(truncatingIfNeeded: meta) }
            let h = hash(key, length)
            filter.insert(filterKey(h, length))
        }
        // Now the merge of each such character, from its pairs (every string here has its pairs' ranks).
        for index in 0..<65536 {
            let a = 0xE0 | index >> 12, b = 0x80 | (index >> 6) & 0x3F, c = 0x80 | index & 0x3F
            let ab = pairs[a | b << 8], bc = pairs[b | c << 8]
            if ab == RankTable.noRank && bc == RankTable.noRank {
                characters[index] = characterNoMerge
            } else if characters[index] == RankTable.noRank {
                characters[index] = ab <= bc ? 1 << 30 | ab : 2 << 30 | bc
            }
        }
        return (filter, characters)
    }

    /// The payload bits of three packed bytes shaped like a three-byte UTF-8 character, else nil.
    @inline(__always) static func characterIndex(_ key: UInt64) -> Int? {
        guard key & 0xC0C0F0 == 0x8080E0 else { return nil }
        return Int(truncatingIfNeeded: (key & 0x0F) << 12 | (key >> 2) & 0xFC0 | (key >> 16) & 0x3F)
    }

    /// The filter word for a key of `length` (3…8) bytes with hash `h`.
    @inline(__always) static func filterKey(_ h: UInt64, _ length: Int) -> BlockedBloomFilter.Key {
        BlockedBloomFilter.Key(word: length == 3 ? filterWords + Int(truncatingIfNeeded: h >> 52) : Int(truncatingIfNeeded: h >> 50),
                               hash: h, firstShift: 38, secondShift: 44)
    }

    func deallocate() {
        filter.deallocate()
        characters.deallocate()
        guard owned else { return }
        slots.deallocate()
        pairs.deallocate()
    }

    @inline(__always)
    static func hash(_ key: UInt64, _ length: Int) -> UInt64 {
        (key ^ UInt64(truncatingIfNeeded: length) << 59) &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ length: Int) -> Int {
        Int(truncatingIfNeeded: hash(key, length) >> 29)
    }

    /// The bytes as a little-endian integer (`length` ≤ 8), reading only inside the key.
    @inline(__always)
    static func pack(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        switch length {
        case 8: return raw.loadUnaligned(as: UInt64.self)
        case 4...7:
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            return low | high << UInt64(8 * (length - 4))
        case 2...3:
            let low = UInt64(raw.loadUnaligned(as: UInt16.self))
            return length == 2 ? low : low | UInt64(p[2]) << 16
        case 1: return UInt64(p[0])
        default: return 0
        }
    }

    /// The rank of the `length` (1…8) bytes at `p`, or `RankTable.noRank`.
    @inline(__always)
    func rank(_ p: UnsafePointer<UInt8>, _ length: Int) -> Rank {
        if length == 2 { return pairs[Int(p[0]) | Int(p[1]) << 8] }
        let key = ShortKeyTable.pack(p, length)
        if length == 3, let index = ShortKeyTable.characterIndex(key) {
            let merged = characters[index]
            if merged < 1 << 30 { return merged }
            if merged != ShortKeyTable.characterNoMerge { return RankTable.noRank }
        }
        let h = ShortKeyTable.hash(key, length)
        if length > 2 {
            if !filter.mayContain(ShortKeyTable.filterKey(h, length)) { return RankTable.noRank }
        }
        let meta = UInt64(length) << 32
        var index = Int(truncatingIfNeeded: h >> 29) & mask
        let base = slots.baseAddress!
        while true {
            let slotMeta = base[2 * index + 1]
            if slotMeta == 0 { return RankTable.noRank }
            if base[2 * index] == key, slotMeta & 0xFFFF_FFFF_0000_0000 == meta { return Rank(truncatingIfNeeded: slotMeta) }
            index = (index + 1) & mask
        }
    }
}
