/// Remembers the tokens of merged pieces longer than ``MergeMemo/maximumLength`` bytes, across
/// encode calls: a long run of Thai, Khmer, Japanese or Tamil without spaces (one piece of up to
/// hundreds of bytes) met before costs a comparison and a copy instead of a merge.
///
/// ## Definitions
/// A *record* is a piece's bytes (padded to a multiple of eight), then its tokens. Records are
/// written one after another into a ring of ``ringBytes`` bytes at increasing *positions* (bytes
/// written since the memo was made; the place in the ring is the position modulo its size, and a
/// record that would run past the ring's end starts at the next turn instead). A *slot* holds the
/// hash, the position of the piece's record, its length and its token count; a piece's slot is one
/// of the ``ways`` slots from its *home*, picked by the top bits of its hash (as in ``MergeMemo``:
/// one with its hash, else an empty one, else one picked by other bits of the hash).
///
/// ## Invariants
/// - A record at position `p` is intact while `p + ringBytes` is at least the write position:
///   nothing written since has come round to it.
/// - A hit compares the bytes, so an answer never depends on the hash.
///
/// Not thread-safe: one caller at a time (the ``PieceCache`` that owns it).
struct LongPieceMemo {
    /// Pieces longer than this are not remembered.
    static let maximumLength = 1024
    static let slotBits = 14
    /// The slots a piece may live in, from its home slot on.
    static let ways = 4
    static let ringBytes = 1 << 21

    private struct Slot {
        var hash: UInt64
        var position: UInt64
        var length: UInt32
        var count: UInt32
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let ring: UnsafeMutableRawPointer
    private let memory: ZeroedMemory
    /// The write position.
    private var written: UInt64 = 0

    /// The home slots and the ``ways`` − 1 slots after the last one.
    private static var slotCount: Int { (1 << slotBits) + ways - 1 }
    private static var slotBytes: Int { slotCount * MemoryLayout<Slot>.stride }
    private static var byteCount: Int { ringBytes + slotBytes }

    init() {
        memory = ZeroedMemory(byteCount: LongPieceMemo.byteCount, hugePages: false, alignment: 8)
        ring = memory.base
        // Zeroed slots: hash 0 and length 0 match no piece (pieces here are longer than 32 bytes).
        slots = (ring + LongPieceMemo.ringBytes).bindMemory(to: Slot.self, capacity: LongPieceMemo.slotCount)
    }

    func deallocate() { memory.deallocate() }

    @inline(__always)
    private func home(_ hash: UInt64) -> UnsafeMutablePointer<Slot> {
        slots + Int(truncatingIfNeeded: hash >> UInt64(64 - LongPieceMemo.slotBits))
    }

    @inline(__always)
    private static func paddedLength(_ length: Int) -> Int { (length + 7) & ~7 }

    /// Appends the remembered tokens of the `length` bytes at `piece`, whose
    /// ``RankTable/hash(_:_:)`` is `hash`, to `output`; false when they are not remembered.
    /// - Complexity: O(length).
    func append(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, into output: inout [Rank]) -> Bool {
        let home = home(hash)
        for way in 0..<LongPieceMemo.ways {
            let slot = home[way]
            guard slot.hash == hash, Int(slot.length) == length else { continue }
            guard slot.position &+ UInt64(LongPieceMemo.ringBytes) >= written else { return false }
            let record = ring + Int(truncatingIfNeeded: slot.position) & (LongPieceMemo.ringBytes - 1)
            guard POSIX.equal(record, piece, count: length) else { continue }
            let tokens = (record + LongPieceMemo.paddedLength(length)).assumingMemoryBound(to: Rank.self)
            for k in 0..<Int(slot.count) { output.append(tokens[k]) }
            return true
        }
        return false
    }

    /// Whether a slot of the window for `hash` holds a piece of that hash (most likely that piece).
    @inline(__always)
    func mayHold(_ hash: UInt64) -> Bool {
        let home = home(hash)
        return (0..<LongPieceMemo.ways).contains { home[$0].hash == hash }
    }

    /// Remembers that the `length` bytes at `piece` (hash `hash`) merge into `tokens`.
    mutating func store(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, tokens: UnsafeBufferPointer<Rank>) {
        guard length <= LongPieceMemo.maximumLength, let first = tokens.baseAddress, tokens.count <= length else { return }
        let size = LongPieceMemo.paddedLength(length) + 4 * LongPieceMemo.paddedLength(tokens.count)
        var offset = Int(truncatingIfNeeded: written) & (LongPieceMemo.ringBytes - 1)
        if offset + size > LongPieceMemo.ringBytes {
            written &+= UInt64(LongPieceMemo.ringBytes - offset)
            offset = 0
        }
        let record = ring + offset
        record.copyMemory(from: piece, byteCount: length)
        (record + LongPieceMemo.paddedLength(length)).copyMemory(from: first, byteCount: 4 * tokens.count)
        let home = home(hash)
        let way = (0..<LongPieceMemo.ways).first { home[$0].hash == hash } ?? (0..<LongPieceMemo.ways).first { home[$0].length == 0 }
            ?? Int(truncatingIfNeeded: hash >> 12) & (LongPieceMemo.ways - 1)
        home[way] = Slot(hash: hash, position: written, length: UInt32(length), count: UInt32(tokens.count))
        written &+= UInt64(size)
    }
}
