/// Remembers the tokens of runs of whole lines, across encode calls: a run met again (a document,
/// a chat history or a prompt encoded again) costs a hash, a comparison of its bytes and a copy of
/// its tokens, instead of a scan and a lookup per piece.
///
/// ## Definitions
/// A *run* is text between two *run cuts*, or between the start of a segment (the text, or the
/// text after a special token) and a run cut. A run cut is a safe cut
/// (`PreTokenizer+SafeCuts.swift`) chosen by the bytes before it (``isRunCut(before:length:)``):
/// one safe cut in four, or the first one ``longRun`` bytes into the run. By the safe cuts'
/// invariant, a run's tokens are those of the run encoded alone: they depend on its bytes and on
/// nothing around it. The cuts depend on the text, not on where a call starts, so text met again
/// inside other text falls into the same runs from its first run cut on.
///
/// A *record* holds a run's length and number of tokens (32 bits each), its tokens, then its
/// bytes, padded to eight bytes, in an *arena* written as a ring: records are appended at the
/// arena's *written* position (counted from the memo's start, never wrapped) and a record that
/// would cross the ring's end starts at its beginning instead. An *entry* of the index holds a
/// run's hash (never 0; 0 marks an empty entry) and its record's position; entries come in pairs
/// (a *bucket*), picked by the top bits of the hash.
///
/// ## Invariants
/// - A record at position `p` is intact while `written ≤ p + capacity`: the ring has not come
///   round to it. A lookup checks this before reading the record.
/// - A record holds a copy of the bytes it answers for and their tokens under one encoding (its
///   owner's); it refers to no text or output, so it stays valid across calls.
/// - A hit compares the bytes, so an answer never depends on the hash.
///
/// Worked example (`LineMemoTests.remembersRunsUntilTheRingComesRound`): `store` of
/// `"let x = 1;\n"` with its tokens, then `append` of the same bytes appends those tokens and
/// returns true; the same bytes with one changed, or a prefix of them, return false and append
/// nothing; once more than the arena's capacity has been stored after it, the run is forgotten.
///
/// Not thread-safe: one caller at a time (``PieceCachePool`` lends each cache to one call).
struct LineMemo {
    /// The sizes of a memo: index entries and arena bytes are `1 << entryBits` and
    /// `1 << arenaBits`. Small (64 KiB and 1 MiB) while only sampled runs are kept, large (1 MiB and
    /// 16 MiB) once runs repeat.
    struct Size: Equatable {
        var entryBits: Int
        var arenaBits: Int
        static let small = Size(entryBits: 12, arenaBits: 20)
        static let large = Size(entryBits: 16, arenaBits: 24)
    }

    /// A run this long (or longer) ends at its first safe cut.
    static let longRun = 1024
    /// Runs longer than this are not remembered.
    static let maximumLength = 1 << 14

    let size: Size
    private let shift: UInt64
    private let entries: UnsafeMutablePointer<(hash: UInt64, position: UInt64)>
    private let arena: UnsafeMutableRawPointer
    private let capacity: Int
    private var written = 0
    private let memory: ZeroedMemory

    init(size: Size) {
        self.size = size
        shift = UInt64(64 - size.entryBits + 1)  // a bucket is two entries
        capacity = 1 << size.arenaBits
        memory = ZeroedMemory(byteCount: 16 << size.entryBits + 1 << size.arenaBits, hugePages: true, alignment: 64)
        entries = memory.base.bindMemory(to: (hash: UInt64, position: UInt64).self, capacity: 1 << size.entryBits)
        arena = memory.base + 16 << size.entryBits
    }

    func deallocate() { memory.deallocate() }

    /// Whether the safe cut after the `length` bytes of a run (at least one) that end at `end`
    /// (exclusive) is a run cut: one in four by the eight bytes before it (none before a run
    /// has eight bytes), or any once the run is ``longRun`` bytes long.
    @inline(__always)
    static func isRunCut(before end: UnsafePointer<UInt8>, length: Int) -> Bool {
        length >= longRun || (length >= 8 && tail(end) >> 62 == 0)
    }

    /// A mix of the eight bytes before `end`, which chooses run cuts (top two bits) and sampled
    /// runs (top six).
    @inline(__always)
    static func tail(_ end: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(end - 8).loadUnaligned(as: UInt64.self) &* 0x9E37_79B9_7F4A_7C15
    }

    /// Whether a run of `length` bytes that ends at `end` is one of the sampled runs: one in
    /// sixteen, chosen by its last eight bytes, so that a run is sampled wherever it is met.
    @inline(__always)
    static func isSampled(before end: UnsafePointer<UInt8>, length: Int) -> Bool {
        length >= 8 && tail(end) >> 58 == 0
    }

    /// The hash of a run's bytes (never 0).
    @inline(__always)
    static func hash(_ run: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        RankTable.hash(run, length) | 1
    }

    @inline(__always)
    private func bucket(_ hash: UInt64) -> UnsafeMutablePointer<(hash: UInt64, position: UInt64)> {
        entries + Int(truncatingIfNeeded: hash >> shift) &* 2
    }

    /// The record of the `length` bytes at `run` (hash `hash`), intact, or nil.
    @inline(__always)
    private func record(of run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64) -> UnsafeMutableRawPointer? {
        let pair = bucket(hash)
        for way in 0..<2 where pair[way].hash == hash {
            let position = Int(truncatingIfNeeded: pair[way].position)
            guard written <= position + capacity else { continue }
            let record = arena + position & (capacity - 1)
            guard Int(record.load(as: UInt32.self)) == length else { continue }
            let count = Int(record.load(fromByteOffset: 4, as: UInt32.self))
            if POSIX.equal(record + (8 + 4 * count), run, count: length) { return record }
        }
        return nil
    }

    /// Whether the `length` bytes at `run` (hash `hash`) are remembered.
    /// - Complexity: O(length).
    func holds(_ run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64) -> Bool {
        record(of: run, length, hash: hash) != nil
    }

    /// Appends the remembered tokens of the `length` bytes at `run` (hash `hash`) to `output`;
    /// false, appending nothing, when the run is not remembered.
    /// - Complexity: O(length + tokens).
    func append(_ run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, into output: inout [Rank]) -> Bool {
        guard let record = record(of: run, length, hash: hash) else { return false }
        let count = Int(record.load(fromByteOffset: 4, as: UInt32.self))
        let first = UnsafeRawPointer(record + 8).assumingMemoryBound(to: Rank.self)
        output.append(contentsOf: UnsafeBufferPointer(start: first, count: count))
        return true
    }

    /// Remembers that the `length` bytes at `run` (hash `hash`) encode to `tokens`: a record at the
    /// written position, its entry in the bucket's entry that holds this hash, else an empty or
    /// overwritten one, else the one the hash picks.
    mutating func store(_ run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, tokens: UnsafeBufferPointer<Rank>) {
        let recordBytes = (8 + 4 * tokens.count + length + 7) & ~7
        guard length <= LineMemo.maximumLength, recordBytes <= capacity / 16 else { return }
        var position = written
        if position & (capacity - 1) + recordBytes > capacity { position = (position | (capacity - 1)) + 1 }
        written = position + recordBytes
        let record = arena + position & (capacity - 1)
        record.storeBytes(of: UInt32(truncatingIfNeeded: length), as: UInt32.self)
        record.storeBytes(of: UInt32(truncatingIfNeeded: tokens.count), toByteOffset: 4, as: UInt32.self)
        if let first = tokens.baseAddress { (record + 8).copyMemory(from: first, byteCount: 4 * tokens.count) }
        (record + (8 + 4 * tokens.count)).copyMemory(from: run, byteCount: length)
        let pair = bucket(hash)
        @inline(__always) func isFree(_ way: Int) -> Bool {
            pair[way].hash == 0 || written > Int(truncatingIfNeeded: pair[way].position) + capacity
        }
        let way = pair[0].hash == hash ? 0 : pair[1].hash == hash ? 1 : isFree(0) ? 0 : isFree(1) ? 1 : Int(hash >> 1 & 1)
        pair[way] = (hash, UInt64(position))
    }

    /// A memo of `size` holding the runs this one holds intact (as many as fit).
    func grown(to size: Size) -> LineMemo {
        var larger = LineMemo(size: size)
        // Oldest first, so that the newest win where they compete.
        var intact = [Int]()  // entries whose record the ring has not come round to
        for index in 0..<(1 << self.size.entryBits) where entries[index].hash != 0 {
            let position = Int(truncatingIfNeeded: entries[index].position)
            if written <= position + capacity { intact.append(index) }
        }
        intact.sort { entries[$0].position < entries[$1].position }
        for index in intact {
            let record = arena + Int(truncatingIfNeeded: entries[index].position) & (capacity - 1)
            let length = Int(record.load(as: UInt32.self)), count = Int(record.load(fromByteOffset: 4, as: UInt32.self))
            let tokens = UnsafeRawPointer(record + 8).assumingMemoryBound(to: Rank.self)
            let run = UnsafeRawPointer(record + (8 + 4 * count)).assumingMemoryBound(to: UInt8.self)
            larger.store(run, length, hash: entries[index].hash, tokens: UnsafeBufferPointer(start: tokens, count: count))
        }
        return larger
    }
}
