/// DeepSeek V4's pre-tokenizer, a `Sequence` of three `Split` steps (each `Isolated`, each cutting
/// the pieces of the one before), in one pass instead of three PCRE2 passes.
///
/// ## Definitions
/// The steps' patterns, as in the tokenizer.json (``Pattern/deepSeekSplits``):
/// 1. `\p{N}{1,3}`;
/// 2. `[一-龥぀-ゟ゠-ヿ]+` — U+4E00…U+9FA5 and U+3040…U+30FF, called CJK here;
/// 3. A1 `[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+` | A2 `[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+`
///    | A3 ` ?[\p{P}\p{S}]+[\r\n]*` | A4 `\s*[\r\n]+` | A5 `\s+(?!\S)` | A6 `\s+`.
///
/// `Isolated` keeps each match and each stretch between matches as a piece.
///
/// ## Invariants
/// After step 1 every number scalar is in a piece of one to three of them and no other piece
/// holds one; after step 2 every other piece is all CJK or holds none. So a scalar's *segment*
/// — its run of scalars of one kind: number, CJK, or neither — bounds every piece of steps 2 and
/// 3, and step 3 runs inside a segment as on a text of its own: its runs stop at the segment's
/// end, and `(?!\S)` holds there. A number piece matches no step-3 alternative (A2's optional
/// scalar may be a number, but no letter follows inside the piece), so it stays whole.
///
/// ## Algorithm
/// From a scalar that starts a piece: a number starts `\p{N}{1,3}`. Otherwise step 3 decides,
/// alternatives in order (``deepSeekMatch(_:_:cjk:)``); where none matches, the piece is the
/// stretch up to the next scalar where one does, or to the segment's end.
///
/// ## Worked example (a test)
/// `価格は100円・税込 (tax)` gives `価格は`, `100`, `円・税込` cut by step 3 into `円`, `・`,
/// `税込`, then ` (`, `tax`, `)`: the CJK run's `・` (U+30FB, punctuation) is A3 inside the CJK
/// segment, the space takes the parenthesis (A3), and `tax` is a letter run (A2).
extension Cursor {
    /// The end of the DeepSeek piece that starts at `i`.
    /// - Complexity: O(length of the piece), and for a stretch no alternative matches, O(its
    ///   length) tries of the alternatives.
    @inline(__always)
    func deepSeek(_ i: Int) -> Int {
        let c = at(i)
        if c.flags & C.number != 0 { return upToThreeNumbers(i, c.length) }
        let cjk = Cursor.isDeepSeekCJK(c.value)
        if let end = deepSeekMatch(i, c, cjk: cjk) { return end }
        return deepSeekUnmatched(i + c.length, cjk: cjk)
    }

    /// The end of a stretch that no step-3 alternative matches, from `j` (after its first scalar):
    /// the next scalar where one does, or the end of the segment. Out of line: such stretches
    /// (format characters, controls, unassigned scalars) are rare.
    @inline(never)
    func deepSeekUnmatched(_ j: Int, cjk: Bool) -> Int {
        var j = j
        while j < count {
            let d = at(j)
            if !Cursor.inDeepSeekSegment(d.flags, d.value, cjk: cjk) || deepSeekMatch(j, d, cjk: cjk) != nil { break }
            j += d.length
        }
        return j
    }

    /// Step 3's first alternative that matches at `i` (whose scalar `c` is no number, of the CJK
    /// segment when `cjk`): the end of its match, or nil.
    @inline(__always)
    func deepSeekMatch(_ i: Int, _ c: (flags: UInt8, value: UInt32, length: Int), cjk: Bool) -> Int? {
        let letterOrMark = C.letter | C.upper  // \p{L} and \p{M}: UP holds the marks, L the rest
        let punctuationOrSymbol = C.punctuation | C.symbol
        let next = i + c.length
        // A1: ASCII punctuation or symbol, then ASCII letters.
        if c.value < 0x80, c.flags & punctuationOrSymbol != 0, next < count, Cursor.isASCIILetter(base[next]) {
            var j = next + 1
            while j < count, Cursor.isASCIILetter(base[j]) { j += 1 }
            return j
        }
        // A2: letters and marks, after at most one scalar that is no \r, \n, letter, punctuation or symbol.
        if c.flags & letterOrMark != 0 { return deepSeekRun(i, letterOrMark, cjk: cjk) }
        if c.value != 0x0A, c.value != 0x0D, c.flags & (C.letter | punctuationOrSymbol) == 0, next < count {
            let d = at(next)
            if d.flags & letterOrMark != 0, Cursor.inDeepSeekSegment(d.flags, d.value, cjk: cjk) {
                return deepSeekRun(next, letterOrMark, cjk: cjk)
            }
        }
        // A3: an optional space, punctuation and symbols, then \r and \n (none in a CJK segment).
        var start = -1
        if c.flags & punctuationOrSymbol != 0 {
            start = i
        } else if c.value == 0x20, next < count {
            let d = at(next)
            if d.flags & punctuationOrSymbol != 0, Cursor.inDeepSeekSegment(d.flags, d.value, cjk: cjk) { start = next }
        }
        if start >= 0 {
            let end = deepSeekRun(start, punctuationOrSymbol, cjk: cjk)
            return cjk ? end : newlinesEnd(end, slash: false)
        }
        // A4–A6: white space (never CJK; no number or CJK scalar is white space, so the run stays
        // in the segment, and a segment's end is the end of the text for `(?!\S)`).
        guard c.flags & C.space != 0 else { return nil }
        let spaces = spaceRun(i)
        if spaces.afterLastNewline > 0 { return spaces.afterLastNewline }
        if spaces.end == count { return spaces.end }
        let after = at(spaces.end)
        if !Cursor.inDeepSeekSegment(after.flags, after.value, cjk: false) { return spaces.end }
        return spacesBeforeNonSpace(i, spaces.end)
    }

    /// The end of the run from `i` of scalars with any of `bits` inside the segment.
    @inline(__always)
    func deepSeekRun(_ i: Int, _ bits: UInt8, cjk: Bool) -> Int {
        var j = i
        while j < count {
            let d = at(j)
            if d.flags & bits == 0 || Cursor.isDeepSeekCJK(d.value) != cjk { break }
            j += d.length
        }
        return j
    }

    /// Whether a scalar belongs to the CJK segment (`cjk`) or the segment of neither kind.
    @inline(__always)
    static func inDeepSeekSegment(_ flags: UInt8, _ value: UInt32, cjk: Bool) -> Bool {
        flags & C.number == 0 && isDeepSeekCJK(value) == cjk
    }

    /// Step 2's class: U+4E00…U+9FA5 (一…龥) and U+3040…U+30FF (Hiragana and Katakana).
    @inline(__always)
    static func isDeepSeekCJK(_ value: UInt32) -> Bool {
        value &- 0x3040 < 0xC0 || value &- 0x4E00 <= 0x9FA5 - 0x4E00
    }

    @inline(__always)
    static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
}
