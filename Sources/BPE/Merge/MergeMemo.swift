/// Remembers the tokens of short pieces that needed merging, across encode calls: a word seen in
/// an earlier text (or earlier in this one) costs two loads and a comparison instead of a merge.
///
/// ## Definitions
/// A *line* is 64 bytes: the piece's bytes (at most ``maximumLength``), then a 32-bit *meta*
/// (`length | count << 8 | check << 12`, where `check` is 20 bits of the piece's hash), then up
/// to ``maximumTokens`` tokens. Beside the lines, a *tag* per line: 16 other bits of the hash of
/// the piece it holds (0 for an empty line), in an array small enough to stay in the second-level
/// cache (128 KiB for 4 MiB of lines), so that a piece the memo does not hold, which is most
/// pieces of a new text, costs a tag load instead of a line load from the last-level cache.
///
/// ## Invariants
/// - A line holds a copy of the bytes it answers for and their merge by one ``BytePairMerger``
///   (the owner's); it refers to no text or output, so it stays valid across calls.
/// - A hit compares the bytes, so an answer never depends on the hash.
///
/// ## Algorithm
/// The top bits of the piece's hash pick its *home* line; the piece lives in one of the
/// ``ways`` lines from there (the *window*; the last window runs into ``ways`` − 1 extra lines, so
/// none wraps). A lookup reads the window's tags in one eight-byte load and compares the lines
/// whose tag matches. A store takes a line in the window that already has the piece's tag (most
/// likely the piece itself), else an empty one, else one picked by other bits of the hash.
/// Windows overlap, so a line that a crowded home cannot take is left for its neighbours' pieces.
/// At the load a long file of new words brings (48,000 merged pieces for 65,536 lines, met again
/// and again in turn), a model of the store rule keeps 48% of the pieces when each has one line
/// and 89% with a window of four.
///
/// Worked example (`PieceCacheTests.memoWindowKeepsFourPiecesOfOneHome`): five pieces with one
/// home fill its window and the fifth takes one of the four lines (the first, picked by its
/// hash); the other three still answer. A piece whose home is the next line finds its window's
/// first three lines taken and takes the fourth, which no piece of the first home can use.
///
/// Not thread-safe: one caller at a time (``PieceCachePool`` lends each to one encode call).
struct MergeMemo {
    /// The most lines a memo has (4 MiB); it starts at 1,024 (64 KiB) and grows to the most once
    /// enough text has been seen (``PieceCache/startCall(textLength:)``).
    static let maximumLineBits = 16
    static let minimumLineBits = 10
    /// Pieces longer than this are not remembered here (nor shorter than four bytes).
    static let maximumLength = 32
    /// Merges into more tokens than this are not remembered here.
    static let maximumTokens = 7
    /// The lines a piece may live in, from its home line on.
    static let ways = 4
    private static let lineBytes = 64

    /// The number of lines is `1 << lineBits`.
    let lineBits: Int
    private let shift: UInt64
    /// The lines, then the tags: one mapping of zeros from the kernel (or, when mapping fails, one
    /// cleared allocation).
    private let lines: UnsafeMutableRawPointer
    private let tags: UnsafeMutablePointer<UInt16>
    private let memory: ZeroedMemory

    init(lineBits: Int) {
        self.lineBits = lineBits
        shift = UInt64(64 - lineBits)
        // Cleared page by page as lines are first written, not all at once.
        memory = ZeroedMemory(byteCount: MergeMemo.byteCount(lineBits), hugePages: true, alignment: MergeMemo.lineBytes)
        lines = memory.base
        let lineCount = MergeMemo.lineCount(lineBits)
        tags = (lines + lineCount * MergeMemo.lineBytes).bindMemory(to: UInt16.self, capacity: lineCount)
    }

    /// The home lines and the ``ways`` − 1 lines after the last one.
    private static func lineCount(_ lineBits: Int) -> Int { (1 << lineBits) + ways - 1 }

    private static func byteCount(_ lineBits: Int) -> Int { lineCount(lineBits) * (MergeMemo.lineBytes + 2) }

    func deallocate() { memory.deallocate() }

    @inline(__always)
    private static func meta(_ length: Int, _ count: Int, _ hash: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: length) | UInt32(truncatingIfNeeded: count) << 8
            | UInt32(truncatingIfNeeded: hash >> 32) & 0xFFFF_F000
    }

    /// The tag of `hash`: never 0, which marks an empty line.
    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt16 {
        UInt16(truncatingIfNeeded: hash >> 16) | 1
    }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> shift)
    }

    /// Bit 15 of each of the four 16-bit lanes of the window at `home` that holds `tag` (exact:
    /// no borrow crosses a lane).
    @inline(__always)
    private func lanes(_ home: Int, equalTo tag: UInt16) -> UInt64 {
        let window = UnsafeRawPointer(tags + home).loadUnaligned(as: UInt64.self)
        return MergeMemo.zeroLanes(window ^ UInt64(tag) &* 0x0001_0001_0001_0001)
    }

    /// Bit 15 of each 16-bit lane of `x` that is zero.
    @inline(__always)
    static func zeroLanes(_ x: UInt64) -> UInt64 {
        let low: UInt64 = 0x7FFF_7FFF_7FFF_7FFF
        return ~(((x & low) &+ low) | x | low)
    }

    /// Appends the remembered tokens of the `length` (4…``maximumLength``) bytes at `piece`,
    /// whose ``RankTable/hash(_:_:)`` is `hash`, to `output`; false when they are not remembered.
    /// - Complexity: O(length).
    @inline(__always)
    func append(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, into output: inout [Rank]) -> Bool {
        assert(length >= 4 && length <= MergeMemo.maximumLength)
        let home = home(hash)
        var matches = lanes(home, equalTo: MergeMemo.tag(hash))
        while matches != 0 {
            let line = lines + (home &+ matches.trailingZeroBitCount &>> 4) &* MergeMemo.lineBytes
            matches &= matches &- 1
            let meta = line.load(fromByteOffset: MergeMemo.maximumLength, as: UInt32.self)
            guard meta & 0xFFFF_F0FF == MergeMemo.meta(length, 0, hash), MergeMemo.equalKeys(line, piece, length) else { continue }
            for k in 0..<Int(meta >> 8 & 0xF) {
                output.append(line.load(fromByteOffset: MergeMemo.maximumLength + 4 + 4 * k, as: Rank.self))
            }
            return true
        }
        return false
    }

    /// Whether a line of the window for `hash` has its tag (most likely it holds that piece): one
    /// load from the tags.
    @inline(__always)
    func mayHold(_ hash: UInt64) -> Bool {
        lanes(home(hash), equalTo: MergeMemo.tag(hash)) != 0
    }

    /// Remembers that the `length` bytes at `piece` (hash `hash`) merge into `tokens`, when they
    /// fit a line.
    @inline(__always)
    func store(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, tokens: UnsafeBufferPointer<Rank>) {
        guard length >= 4, length <= MergeMemo.maximumLength, let first = tokens.baseAddress, tokens.count <= MergeMemo.maximumTokens else { return }
        let home = home(hash), tag = MergeMemo.tag(hash)
        var free = lanes(home, equalTo: tag)
        if free == 0 { free = lanes(home, equalTo: 0) }
        let way = free != 0 ? free.trailingZeroBitCount &>> 4 : Int(truncatingIfNeeded: hash >> 12) & (MergeMemo.ways - 1)
        let index = home &+ way
        let line = lines + index &* MergeMemo.lineBytes
        MergeMemo.copyKey(piece, to: line, length)
        line.storeBytes(of: MergeMemo.meta(length, tokens.count, hash), toByteOffset: MergeMemo.maximumLength, as: UInt32.self)
        for k in 0..<tokens.count {
            line.storeBytes(of: first[k], toByteOffset: MergeMemo.maximumLength + 4 + 4 * k, as: Rank.self)
        }
        tags[index] = tag
    }

    // Keys of 4…32 bytes moved and compared as words, never reading or writing past either end:
    // whole words from the start, then one word ending at the last byte (overlapping the one
    // before); four-byte words under eight bytes. No call to `memcpy` or `memcmp` per piece.

    @inline(__always)
    private static func copyKey(_ source: UnsafePointer<UInt8>, to line: UnsafeMutableRawPointer, _ length: Int) {
        let from = UnsafeRawPointer(source)
        if length < 8 {
            line.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            line.storeBytes(of: from.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self), toByteOffset: length - 4, as: UInt32.self)
            return
        }
        var i = 0
        while i + 8 <= length {
            line.storeBytes(of: from.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < length {
            line.storeBytes(of: from.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), toByteOffset: length - 8, as: UInt64.self)
        }
    }

    @inline(__always)
    private static func equalKeys(_ line: UnsafeRawPointer, _ source: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let from = UnsafeRawPointer(source)
        if length < 8 {
            return line.load(as: UInt32.self) == from.loadUnaligned(as: UInt32.self)
                && line.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self) == from.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)
        }
        var i = 0
        var difference: UInt64 = 0
        while i + 8 <= length {
            difference |= line.load(fromByteOffset: i, as: UInt64.self) ^ from.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < length {
            difference |= line.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) ^ from.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        }
        return difference == 0
    }
}
