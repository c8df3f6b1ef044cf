/// Remembers, for one encode call over a long text, the tokens of pieces that needed merging, so a
/// repeated word costs one hash and one comparison instead of a merge. Words repeat a lot in real
/// text (Zipf's law); this is the cache Hugging Face tokenizers keeps per word.
///
/// Direct-mapped: each slot holds the latest piece that hashed to it, as its place in the input and
/// the place of its tokens in the output (which the caller only appends to). A hit is verified by
/// comparing the bytes, so the result never depends on the cache.
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

    init() {
        entries = .allocate(capacity: PieceCache.slotCount)
        entries.initialize(repeating: Entry(hash: 0, start: 0, length: 0, tokenStart: 0, tokenCount: 0),
                           count: PieceCache.slotCount)
    }

    func deallocate() { entries.deallocate() }

    /// Appends the tokens of the piece at `start` (`length` bytes of `text`) to `output`.
    @inline(__always)
    func encode(_ text: UnsafePointer<UInt8>, start: Int, length: Int, table: RankTable, into output: inout [Rank]) {
        let piece = text + start
        if length < PieceCache.minimumPiece || start > Int(UInt32.max) || output.count > Int(UInt32.max) {
            table.encodePiece(piece, length, into: &output)
            return
        }
        let whole = table.rank(piece, length)
        if whole != RankTable.noRank {
            output.append(whole)
            return
        }
        let hash = RankTable.hash(piece, length)
        let slot = entries + Int(truncatingIfNeeded: hash >> 52)  // top 12 bits: 4096 slots
        let entry = slot.pointee
        if entry.hash == hash, Int(entry.length) == length, memcmp(text + Int(entry.start), piece, length) == 0 {
            // Element by element: appending a slice of `output` to itself would copy the whole array.
            let tokenStart = Int(entry.tokenStart)
            for k in tokenStart..<(tokenStart + Int(entry.tokenCount)) { output.append(output[k]) }
            return
        }
        let before = output.count
        if length <= RankTable.shortPieceLimit {
            table.mergeShort(piece, length, into: &output)
        } else {
            table.mergeLong(piece, length, into: &output)
        }
        slot.pointee = Entry(hash: hash, start: UInt32(start), length: UInt32(length), tokenStart: UInt32(before),
                             tokenCount: UInt32(output.count - before))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
