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

    /// Adopts buffers from a ``VocabularyCache`` (checked there), without owning them.
    init(slots: UnsafeMutableBufferPointer<UInt64>, pairs: UnsafeMutableBufferPointer<Rank>) {
        precondition((slots.count / 2).nonzeroBitCount == 1 && pairs.count == 65536)
        self.slots = slots
        self.pairs = pairs
        mask = slots.count / 2 - 1
        owned = false
    }

    init(tokens: [(key: UInt64, length: Int, rank: Rank)]) {
        var capacity = 16
        while capacity < tokens.count + tokens.count / 2 { capacity <<= 1 }  // load factor at most 2/3
        slots = .allocate(capacity: 2 * capacity)
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
    }

    func deallocate() {
        guard owned else { return }
        slots.deallocate()
        pairs.deallocate()
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ length: Int) -> Int {
        let h = (key ^ UInt64(truncatingIfNeeded: length) << 59) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 29)
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
        let key = ShortKeyTable.pack(p, length)
        let meta = UInt64(length) << 32
        var index = ShortKeyTable.slot(key, length) & mask
        let base = slots.baseAddress!
        while true {
            let slotMeta = base[2 * index + 1]
            if slotMeta == 0 { return RankTable.noRank }
            if base[2 * index] == key, slotMeta & 0xFFFF_FFFF_0000_0000 == meta { return Rank(truncatingIfNeeded: slotMeta) }
            index = (index + 1) & mask
        }
    }
}
