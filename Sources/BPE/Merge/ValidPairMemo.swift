/// Remembered answers of the backtracking search's pair test
/// (``BytePairMerger/isValidPair(_:_:_:_:at:_:)``), by the two tokens.
///
/// ## Definitions
/// The answer for two tokens `l`, `r` depends on nothing but the two tokens (their bytes and the
/// vocabulary's ranks), so it can be kept across pieces and across texts. The memo is a
/// direct-mapped table: each slot holds one pair and its answer, and a pair that maps to a taken
/// slot replaces it.
///
/// ## Invariant
/// A slot answers only for the pair it names, so the memo never changes a result: a lookup finds
/// the answer the test gave for exactly that pair, or tests again.
///
/// ## Why
/// The test walks both tokens' merge trees with a rank lookup at each level (hashing up to twice a
/// token's length of bytes). Words of one language share their stems and endings, so a text's
/// searches meet the same pairs again and again: a piece cache keeps one memo
/// (``PieceCache``) for the merges it asks for, and a search without one keeps its own for its
/// long pairs (``BytePairMerger/PairMemo``).
///
/// Not thread-safe: one caller at a time (a piece cache's), like the cache itself.
struct ValidPairMemo: @unchecked Sendable {
    /// `(left << 32 | right) << 1 | valid`, or `UInt64.max` for an empty slot.
    private let entries: UnsafeMutablePointer<UInt64>
    private let shift: UInt64

    /// An empty memo of `slots` slots (a power of two).
    init(slots: Int) {
        precondition(slots > 1 && slots.nonzeroBitCount == 1)
        entries = .allocate(capacity: slots)
        entries.initialize(repeating: .max, count: slots)
        shift = UInt64(64 - slots.trailingZeroBitCount)
    }

    func deallocate() { entries.deallocate() }

    /// The answer for `left` followed by `right` (ranks below 2³¹): remembered, or `test()`'s,
    /// which is then remembered.
    /// - Complexity: O(1) besides `test`.
    @inline(__always)
    func isValidPair(_ left: Rank, _ right: Rank, test: () -> Bool) -> Bool {
        let key = UInt64(left) << 32 | UInt64(right)
        let slot = entries + Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let entry = slot.pointee
        if entry >> 1 == key { return entry & 1 == 1 }
        let valid = test()
        slot.pointee = key << 1 | (valid ? 1 : 0)
        return valid
    }
}
