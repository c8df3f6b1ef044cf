/// Memory that starts as zeros, for the memos: a mapping from the kernel, which clears each page
/// at its first touch (so a memo costs only the pages it writes), or, when mapping fails, one
/// cleared allocation.
struct ZeroedMemory {
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    private let mapped: Bool

    /// - Parameters:
    ///   - hugePages: whether to advise the mapping to huge pages (for memory written all over).
    ///   - alignment: the allocation's alignment when mapping fails (a mapping is page-aligned).
    init(byteCount: Int, hugePages: Bool, alignment: Int) {
        self.byteCount = byteCount
        if let zeroed = POSIX.mapZeroed(byteCount: byteCount) {
            if hugePages { POSIX.adviseHugePages(zeroed, count: byteCount) }
            base = zeroed
            mapped = true
        } else {
            base = .allocate(byteCount: byteCount, alignment: alignment)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
            mapped = false
        }
    }

    func deallocate() {
        if mapped {
            POSIX.unmap(base, byteCount: byteCount)
        } else {
            base.deallocate()
        }
    }
}
