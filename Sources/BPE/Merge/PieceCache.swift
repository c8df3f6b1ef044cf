/// Remembers, for one encode call over a long text, the tokens of pieces that needed merging, so a
/// repeated word costs one hash and one comparison instead of a merge. Words repeat a lot in real
/// text (Zipf's law); this is the cache Hugging Face tokenizers keeps per word.
///
/// Direct-mapped: each slot holds the latest piece that hashed to it, as its place in the input and
/// the place of its tokens in the output (which the caller only appends to). A hit is verified by
/// comparing the bytes, so the result never depends on the cache.
///
/// In front of it, pieces of three to eight bytes go through a small direct-mapped table of their
/// packed bytes and whole-token rank (or "not a token"): the hot words of a text then answer from
/// 16–128 KiB that stay in cache, instead of a probe into the 4 MiB key table each time.
struct PieceCache {
    private struct Entry {
        var hash: UInt64
        var start: UInt32
        var length: UInt32
        var tokenStart: UInt32
        var tokenCount: UInt32
    }

    static let slotCount = 4096
    /// Texts shorter than this are encoded without a cache (it would not pay for its setup).
    static let minimumText = 4096
    /// Pieces shorter than this are not cached (their merge is as cheap as a lookup).
    static let minimumPiece = 4

    private let entries: UnsafeMutablePointer<Entry>
    /// The whole-token table: `key` the packed bytes, `meta` `rank | length << 32` (0: empty).
    private let hot: UnsafeMutablePointer<(key: UInt64, meta: UInt64)>
    private let hotShift: UInt64

    /// A cache for one text of `textLength` bytes (the whole-token table grows with the text,
    /// from 1,024 to 8,192 entries).
    init(textLength: Int) {
        entries = .allocate(capacity: PieceCache.slotCount)
        entries.initialize(repeating: Entry(hash: 0, start: 0, length: 0, tokenStart: 0, tokenCount: 0),
                           count: PieceCache.slotCount)
        var hotCount = 1024
        while hotCount < 8192, hotCount * 32 < textLength { hotCount <<= 1 }
        hot = .allocate(capacity: hotCount)
        hot.initialize(repeating: (0, 0), count: hotCount)
        hotShift = UInt64(64 - hotCount.trailingZeroBitCount)
    }

    func deallocate() {
        entries.deallocate()
        hot.deallocate()
    }

    /// Appends the tokens of the piece at `start` (`length` bytes of `text`) to `output`.
    @inline(never)  // a call from the piece loop: see ``BytePairMerger`` on inlining
    func encode(_ text: UnsafePointer<UInt8>, start: Int, length: Int, merger: BytePairMerger, into output: inout [Rank]) {
        let piece = text + start
        if length < PieceCache.minimumPiece || start > Int(UInt32.max) || output.count > Int(UInt32.max) {
            merger.appendTokens(piece, length, into: &output)
            return
        }
        let hash: UInt64
        if length <= 8 {
            let key = ShortKeyTable.pack(piece, length)
            let slot = hot + Int(truncatingIfNeeded: ShortKeyTable.hash(key, length) >> hotShift)
            let meta: UInt64
            if slot.pointee.key == key, slot.pointee.meta >> 32 == UInt64(length) {
                meta = slot.pointee.meta
            } else {
                meta = UInt64(merger.table.short.rank(piece, length)) | UInt64(length) << 32
                slot.pointee = (key, meta)
            }
            let whole = Rank(truncatingIfNeeded: meta)
            if whole != RankTable.noRank {
                output.append(whole)
                return
            }
            hash = RankTable.hash(piece, length)
        } else {
            hash = RankTable.hash(piece, length)  // hashed once: for the lookup and for the cache below
            let whole = merger.table.rank(piece, length, hash: hash)
            if whole != RankTable.noRank {
                output.append(whole)
                return
            }
        }
        let slot = entries + Int(truncatingIfNeeded: hash >> 52)  // top 12 bits: 4096 slots
        let entry = slot.pointee
        if entry.hash == hash, Int(entry.length) == length, POSIX.equal(text + Int(entry.start), piece, count: length) {
            // Element by element: appending a slice of `output` to itself would copy the whole array.
            let tokenStart = Int(entry.tokenStart)
            for k in tokenStart..<(tokenStart + Int(entry.tokenCount)) { output.append(output[k]) }
            return
        }
        let before = output.count
        merger.mergePiece(piece, length, into: &output)
        slot.pointee = Entry(hash: hash, start: UInt32(start), length: UInt32(length), tokenStart: UInt32(before),
                             tokenCount: UInt32(output.count - before))
    }
}

