/// Cutting a short piece between characters that no token can join.
///
/// ## Definitions
/// A *boundary* of a piece is a place between two UTF-8 characters: `c` (the bytes before it,
/// from a lead byte to the boundary) and `d` (the bytes after it, from a lead byte). A token
/// *spans* a boundary when it occurs in the piece starting before the boundary and ending after it.
///
/// ## Invariant
/// If no token spans a boundary, the piece's merge is the merge of the bytes before it followed by
/// the merge of the bytes after it. Every part of every step of the merge is a token occurring at its
/// place, so no part crosses the boundary, and no pair across it has a rank; the lowest-ranked pair
/// of the whole piece (leftmost on a tie) is then the lowest of one side, so each side goes
/// through the same merges, in the same order, as it would alone.
///
/// ## The test
/// Where a token `t` spans a boundary, what it holds of `c` is all of `c` or a proper suffix of it
/// (continuation bytes, so its last byte is `c`'s last byte), and what it holds of `d` is all of `d`
/// or a proper prefix (whose first byte is `d`'s lead byte). So each token, at each place inside it
/// before a byte that is not a continuation byte, gives one *witness* string: the whole character
/// before that place or only its last byte, then the whole character after it or only its first
/// byte. A boundary no token spans is one where none of the four strings "`c` then `d`", "last byte
/// of `c` then `d`", "`c` then first byte of `d`" and "last byte of `c` then first byte of `d`" is a
/// witness. The witnesses (21,123 holding whole characters and 245 holding part of one, for
/// o200k_base) are kept in a Bloom filter, which can only answer "maybe" wrongly: then the boundary
/// is kept, and the merge is still exact. The partial ones are rare, so a bit set of their two
/// bytes either side of the boundary says when they need probing at all: most boundaries cost one
/// probe. Between two ASCII characters the boundary is always kept (text in Latin script has few
/// boundaries no token spans), so ASCII pairs are not stored.
///
/// ## Why
/// Random text in many scripts (and rare words in any script) misses the piece cache and needs a
/// merge per piece; on a megabyte of random characters, 99.2% of the boundaries inside such pieces
/// are spanned by no token, and the witnesses allow a cut at 98.5% (before the Bloom filter's
/// false positives). Cut there, a character costs a table lookup or two, instead of a merge loop
/// whose candidate lookups miss the caches.
///
/// ## Worked example
/// `"ऱҸ"` (U+0931, three bytes E0 A4 B1; U+04B8, two bytes D2 B8) is not a token, and neither
/// `ऱҸ` nor any of the other three strings of its boundary is a witness in o200k_base: the piece is
/// cut, `ऱ` merges to one token (161408) and `Ҹ` stays two single bytes (142, 116: D2 B8 is no
/// token). `CharacterCutTests.workedExample` checks exactly this; the other tests compare the cut
/// merge with the readable oracle on random pieces, real and adversarial vocabularies.
extension BytePairMerger {
    /// Words of the witness filter (32 KiB: o200k_base's 21,368 witnesses set about 15% of the bits,
    /// so about 2% of strings that are no witness pass; computed, not counted).
    static let boundaryFilterWords = 1 << 12
    /// The whole filter's words: the Bloom filter, then one bit per byte pair.
    static let boundaryFilterCount = boundaryFilterWords + 1024

    /// The length of the UTF-8 sequence that `lead` starts: 1 for ASCII, 2–4 for a lead byte, 0 for
    /// a continuation byte or a byte that starts no sequence (F8–FF). By structure only, unlike
    /// `UTF8Validation.sequence(startingWith:)`: the cut needs the witnesses and the pieces split
    /// into characters the same way, not valid scalars.
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xC0 { return 0 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return lead < 0xF8 ? 4 : 0
    }

    /// The filter key of a witness: its bytes packed little-endian (as
    /// ``ShortKeyTable/pack(_:_:)`` does) and its length. The same for building and probing.
    @inline(__always)
    private static func witnessKey(_ key: UInt64, _ length: Int) -> BlockedBloomFilter.Key {
        let h = ShortKeyTable.hash(key, length)
        return BlockedBloomFilter.Key(word: Int(truncatingIfNeeded: h &>> 52), hash: h, firstShift: 32, secondShift: 40)
    }

    /// The witnesses of a vocabulary (see above), in one pass over every token: the whole-character
    /// ones in a Bloom filter of ``boundaryFilterWords`` words, then (in 1,024 more words, one bit
    /// per byte pair) the two bytes either side of every witness that holds part of a character.
    static func makeBoundaryFilter(arena: UnsafeMutableBufferPointer<UInt8>, spans: UnsafeMutableBufferPointer<ArenaSpan>)
        -> UnsafeMutableBufferPointer<UInt64> {
        let filter = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: boundaryFilterCount)
        filter.initialize(repeating: 0)
        @inline(__always) func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        for span in spans where span.length > 1 {
            let token = span.bytes(in: arena)
            let count = span.length
            // Most tokens are ASCII, and give no witness (two ASCII characters are never cut).
            var high: UInt8 = 0
            for i in 0..<count { high |= token[i] }
            if high < 0x80 { continue }
            for j in 1..<count where !isContinuation(token[j]) {
                var start = j - 1
                while start > 0, isContinuation(token[start]) { start -= 1 }
                let rightLength = max(sequenceLength(token[j]), 1)
                let wholeLeft = !isContinuation(token[start]) && sequenceLength(token[start]) == j - start
                let wholeRight = j + rightLength <= count
                if wholeLeft && wholeRight && j - start == 1 && rightLength == 1 { continue }  // two ASCII characters: never cut
                if !wholeLeft || !wholeRight {
                    let pair = Int(token[j - 1]) << 8 | Int(token[j])
                    filter[boundaryFilterWords + pair >> 6] |= 1 << UInt64(pair & 63)
                }
                let left = wholeLeft ? start : j - 1
                let length = (wholeRight ? j + rightLength : j + 1) - left
                BlockedBloomFilter(words: filter).insert(witnessKey(ShortKeyTable.pack(token + left, length), length))
            }
        }
        return filter
    }

    /// How tokens may span a boundary: not at all (the piece may be cut there), only holding
    /// both characters whole, or holding part of one of them (see `BytePairMerger+CharacterParts.swift`).
    enum Spanning { case none, whole, partly }

    /// How a token may span the boundary between the character `left` (`leftLength` bytes,
    /// packed) and the character `right` (`rightLength` bytes), not both ASCII.
    @inline(__always)
    func spanning(_ left: UInt64, _ leftLength: Int, _ right: UInt64, _ rightLength: Int,
                  _ filter: BlockedBloomFilter) -> Spanning {
        @inline(__always) func mayBeWitness(_ key: UInt64, _ length: Int) -> Bool {
            filter.mayContain(BytePairMerger.witnessKey(key, length))
        }
        let leftBits = UInt64(truncatingIfNeeded: leftLength &* 8)
        let last = left &>> (leftBits &- 8), lead = right & 0xFF
        let pair = Int(truncatingIfNeeded: last &<< 8 | lead)
        if filter.words[BytePairMerger.boundaryFilterWords &+ pair &>> 6] & (1 &<< UInt64(truncatingIfNeeded: pair & 63)) != 0 {
            if leftLength > 1 && mayBeWitness(last | right &<< 8, 1 &+ rightLength) { return .partly }
            if rightLength > 1 && mayBeWitness(left | lead &<< leftBits, leftLength &+ 1) { return .partly }
            if leftLength > 1 && rightLength > 1 && mayBeWitness(last | lead &<< 8, 2) { return .partly }
        }
        return mayBeWitness(left | right &<< leftBits, leftLength &+ rightLength) ? .whole : .none
    }

    /// Whether all of `count` (at least 4) bytes are ASCII: eight at a time, the last word overlapping.
    @inline(__always)
    static func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        if count < 8 {
            let bits = raw.loadUnaligned(as: UInt32.self) | raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            return bits & 0x8080_8080 == 0
        }
        var bits = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        var i = 0
        while i + 8 <= count {
            bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// The character at `i` of `count` bytes: its bytes packed and its length, or length 0 when the
    /// bytes there are no well-formed sequence (a lead byte and its continuation bytes).
    @inline(__always)
    static func character(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> (key: UInt64, length: Int) {
        let first = p[i]
        if first < 0x80 { return (UInt64(first), 1) }
        let length = sequenceLength(first)
        guard length > 1, i &+ length <= count else { return (0, 0) }
        let key = ShortKeyTable.pack(p + i, length)
        // Bytes 1..<length must be continuation bytes (10xxxxxx).
        let used: UInt64 = (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1
        return key & (0xC0C0_C000 & used) == 0x8080_8000 & used ? (key, length) : (0, 0)
    }

    /// Merges a piece of 4…``characterCutLimit`` bytes cut at every boundary no token spans, each
    /// part from its characters where that is exact (`BytePairMerger+CharacterParts.swift`), noting
    /// on the way the boundaries where a token may hold part of a character. Appends nothing and
    /// returns false when the piece is not well-formed UTF-8 in structure (a lead byte followed by
    /// its continuation bytes), or has no such boundary and is not taken from its characters.
    /// - Complexity: O(n) for the cutting; then O(1) for a part of one character, the rescanning
    ///   loop's O(k²) for a part of k bytes or initial parts up to ``shortPieceLimit``, the long
    ///   tier's O(k) beyond.
    @inline(never)
    func mergeCutAtCharacters(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) -> Bool {
        assert(count >= 4 && count <= BytePairMerger.characterCutLimit)
        if BytePairMerger.isASCII(piece, count) { return false }
        let before = output.count
        let filter = BlockedBloomFilter(words: table.boundaryFilter)
        var soft = SoftBoundaries()
        /// The merge of the part `piece[start..<end]`; `key`/`length` its last character.
        @inline(__always) func emit(_ start: Int, _ end: Int, _ key: UInt64, _ length: Int) {
            if end &- start == length && length < 4 {
                mergeCharacter(key, length, into: &output)
            } else {
                mergeCutPart(piece, from: start, to: end, soft: soft, into: &output)
            }
        }
        var (left, leftLength) = BytePairMerger.character(piece, 0, count)
        guard leftLength > 0 else { return false }
        var partStart = 0
        var b = leftLength
        while b < count {
            let (right, rightLength) = BytePairMerger.character(piece, b, count)
            guard rightLength > 0 else {
                output.removeLast(output.count &- before)
                return false
            }
            if leftLength > 1 || rightLength > 1 {
                switch spanning(left, leftLength, right, rightLength, filter) {
                case .none:
                    emit(partStart, b, left, leftLength)
                    partStart = b
                case .partly:
                    soft.insert(b)
                case .whole:
                    break
                }
            }
            left = right
            leftLength = rightLength
            b &+= rightLength
        }
        if partStart == 0 { return mergeByCharacters(piece, from: 0, to: count, soft: soft, into: &output) }
        emit(partStart, count, left, leftLength)
        return true
    }

    /// The tokens of one character of one to three bytes (packed in `key`).
    @inline(__always)
    func mergeCharacter(_ key: UInt64, _ length: Int, into output: inout [Rank]) {
        switch length {
        case 1:
            output.append(table.byteRanks[Int(truncatingIfNeeded: key)])
        case 2:
            let pair = table.short.pairs[Int(truncatingIfNeeded: key)]
            if pair != RankTable.noRank {
                output.append(pair)
            } else {
                output.append(table.byteRanks[Int(truncatingIfNeeded: key & 0xFF)])
                output.append(table.byteRanks[Int(truncatingIfNeeded: key &>> 8)])
            }
        default:
            let merged = table.short.characters[ShortKeyTable.characterIndex(key)!]
            switch merged &>> 30 {
            case 0:
                output.append(merged)
            case 1:
                output.append(merged & 0x3FFF_FFFF)
                output.append(table.byteRanks[Int(truncatingIfNeeded: key &>> 16)])
            case 2:
                output.append(table.byteRanks[Int(truncatingIfNeeded: key & 0xFF)])
                output.append(merged & 0x3FFF_FFFF)
            default:
                output.append(table.byteRanks[Int(truncatingIfNeeded: key & 0xFF)])
                output.append(table.byteRanks[Int(truncatingIfNeeded: key &>> 8 & 0xFF)])
                output.append(table.byteRanks[Int(truncatingIfNeeded: key &>> 16)])
            }
        }
    }

    /// The merge of a part of a cut piece that is not one character of one to three bytes (out of
    /// line, to keep the cutting loop small): from its characters where that is exact, else the
    /// rescanning loop, or the long tier for a part of a piece over ``shortPieceLimit`` bytes that
    /// is longer than that itself.
    @inline(never)
    private func mergeCutPart(_ piece: UnsafePointer<UInt8>, from start: Int, to end: Int, soft: SoftBoundaries,
                              into output: inout [Rank]) {
        if mergeByCharacters(piece, from: start, to: end, soft: soft, into: &output) { return }
        let part = piece + start, count = end &- start
        if count > BytePairMerger.shortPieceLimit {
            mergeLongPiece(part, count, into: &output)
        } else {
            mergeUncut(part, count, into: &output)
        }
    }
}
