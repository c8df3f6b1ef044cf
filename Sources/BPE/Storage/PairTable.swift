/// An open-addressing hash table from a pair of token ids to a 64-bit value (a merge's priority
/// and result), for the merges-list merge stage: one multiply and usually one probe per look-up.
struct PairTable: Sendable {
    /// `left << 32 | right`, or `empty`.
    private let keys: [UInt64]
    private let values: [UInt64]
    private let shift: UInt64
    private static let empty = UInt64.max  // no pair of ids below 2^30 spells it

    /// A table of `pairs`; capacity a power of two, at most half full.
    init(_ pairs: [UInt64: UInt64]) {
        var capacity = 16
        while capacity < 2 * pairs.count { capacity <<= 1 }
        var keys = [UInt64](repeating: PairTable.empty, count: capacity)
        var values = [UInt64](repeating: 0, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (key, value) in pairs {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != PairTable.empty { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.shift = shift
    }

    /// The value of the pair (`left`, `right`), or nil.
    @inline(__always)
    func value(_ left: Rank, _ right: Rank) -> UInt64? {
        let key = UInt64(left) << 32 | UInt64(right)
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let found = keys[slot]
                if found == key { return values[slot] }
                if found == PairTable.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
