/// Hand-written splitters for the built-in patterns, equal to PCRE2 (and so to tiktoken) on every
/// input, several times faster.
///
/// Each `scan…` function returns the end of the piece that the pattern's leftmost-first,
/// backtracking match starting at `start` would give. The comments spell out how each alternative's
/// backtracking resolves. `ScannerTests` check them against PCRE2 on every Unicode scalar in context,
/// on the fixture corpus and on random text. PCRE2 remains the engine for custom patterns.
///
/// Classes (from tiktoken's Unicode tables): `L` letter, `N` number, `S` white space,
/// `UP` = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], `LOW` = [\p{Ll}\p{Lm}\p{Lo}\p{M}],
/// `OTHER` = not S, L or N; `PRE` = not \r, \n, L or N. A mark (\p{M}) is the scalar that is `UP`
/// and not L.
enum Scanner: Sendable {
    case o200k, cl100k, r50k, llama3, qwen, qwen3_5, tekken
    /// DeepSeek V4's three `Split` steps as one pass (`Scanner+DeepSeek.swift`): recognised from
    /// a tokenizer.json's pre-tokenizer, not from one pattern.
    case deepseek

    /// The scanner for `pattern` when it is exactly one of the built-in patterns (Llama 4 uses o200k's).
    init?(pattern: String) {
        switch pattern {
        case Pattern.o200k: self = .o200k
        case Pattern.cl100k: self = .cl100k
        case Pattern.r50k, Pattern.byteLevel: self = .r50k  // the same pieces: see Pattern.byteLevel
        case Pattern.llama3: self = .llama3
        case Pattern.qwen: self = .qwen
        case Pattern.qwen3_5: self = .qwen3_5
        case Pattern.tekken: self = .tekken
        default: return nil
        }
    }

    /// Whether a `\n` before an indent ends a piece whatever follows the indent, so the text may be
    /// cut there (`PreTokenizer+SafeCuts.swift`): every built-in pattern's `\s*[\r\n]` comes
    /// before its `\s+(?!\S)`, except r50k's, which takes the `\n` with the indent.
    var cutsBeforeIndents: Bool { self != .r50k }

    /// Calls `body` with every piece of `text`, which must be valid UTF-8.
    /// - Complexity: O(n).
    @inline(__always)
    func forEachPiece(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) rethrows {
        guard let base = text.baseAddress else { return }
        let cursor = Cursor(base: base, count: text.count, classes: CharacterClasses.shared)
        var start = 0
        while start < text.count {
            let end: Int
            switch self {
            case .o200k: end = cursor.o200k(start)
            case .cl100k: end = cursor.cl100k(start)
            case .r50k: end = cursor.r50k(start)
            case .llama3: end = cursor.llama3(start)
            case .qwen: end = cursor.qwen(start)
            case .qwen3_5: end = cursor.qwen3_5(start)
            case .tekken: end = cursor.o200k(start, contractions: false, oneDigit: true)
            case .deepseek: end = cursor.deepSeek(start)
            }
            try body(start..<end)
            start = end
        }
    }
}

/// Scalar decoding and the per-pattern rules over one UTF-8 buffer.
struct Cursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    let classes: CharacterClasses

    typealias C = CharacterClasses

    /// The scalar at `i` and its length in bytes. `i < count`, on a boundary.
    @inline(__always)
    func scalar(_ i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(base[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(base[i + 1] & 0x3F) << 6 | UInt32(base[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(base[i + 1] & 0x3F) << 12 | UInt32(base[i + 2] & 0x3F) << 6
                | UInt32(base[i + 3] & 0x3F), 4)
    }

    /// Class flags and length of the scalar at `i`.
    @inline(__always)
    func at(_ i: Int) -> (flags: UInt8, value: UInt32, length: Int) {
        let b0 = base[i]
        if b0 < 0x80 { return (classes.ascii[Int(b0)], UInt32(b0), 1) }
        let s = scalar(i)
        return (classes[s.value], s.value, s.length)
    }

    @inline(__always) static func isPre(_ flags: UInt8, _ value: UInt32) -> Bool {
        flags & (C.letter | C.number) == 0 && value != 0x0A && value != 0x0D
    }

    @inline(__always) static func isOther(_ flags: UInt8) -> Bool {
        flags & (C.letter | C.number | C.space) == 0
    }

    /// The end of the maximal run of scalars with any of `bits`, from `i`.
    @inline(__always)
    func run(_ i: Int, _ bits: UInt8) -> Int {
        run(i, bits) { _, _ in false }.end
    }

    /// The end of the maximal run of OTHER scalars from `i` that have none of `excluded`.
    @inline(__always)
    func otherRun(_ i: Int, excluding excluded: UInt8 = 0) -> Int {
        var j = i
        while j < count {
            let c = at(j)
            if !Cursor.isOther(c.flags) || c.flags & excluded != 0 { break }
            j += c.length
        }
        return j
    }

    /// The maximal run of scalars with any of `bits` from `i`: its end, and the end of its last
    /// scalar for which `marked(flags, value)` holds (-1 when none).
    @inline(__always)
    func run(_ i: Int, _ bits: UInt8, marking marked: (UInt8, UInt32) -> Bool) -> (end: Int, afterLastMarked: Int) {
        let r = runStopping(i, bits, marking: marked)
        return (r.end, r.afterLastMarked)
    }

    /// ``run(_:_:marking:)``, also giving the flags and length of the scalar that ended the run
    /// (0 and 0 at the end of the text), so that the rule after it need not decode it again.
    @inline(__always)
    func runStopping(_ i: Int, _ bits: UInt8, marking marked: (UInt8, UInt32) -> Bool)
        -> (end: Int, afterLastMarked: Int, stopFlags: UInt8, stopLength: Int) {
        var j = i
        var afterMarked = -1
        while j < count {
            let c = at(j)
            if c.flags & bits == 0 { return (j, afterMarked, c.flags, c.length) }
            j += c.length
            if marked(c.flags, c.value) { afterMarked = j }
        }
        return (j, afterMarked, 0, 0)
    }

    /// `\s`-run from `i` (i is white space): returns its end and the end of its last \r or \n
    /// (-1 when none), for `\s*[\r\n]` rules.
    @inline(__always)
    func spaceRun(_ i: Int) -> (end: Int, afterLastNewline: Int) {
        let r = run(i, C.space) { _, value in value == 0x0A || value == 0x0D }
        return (r.end, r.afterLastMarked)
    }

    /// `\s+(?!\S)`, else a lone `\s` (o200k: `\s+`), for a white-space run `i..<end` that stops
    /// before a non-space: all of the run but its last scalar, or the run when it is one scalar.
    @inline(__always)
    func spacesBeforeNonSpace(_ i: Int, _ end: Int) -> Int {
        let last = previous(end)
        return last > i ? last : end
    }

    /// The start of the last scalar before `end` (end > 0).
    @inline(__always)
    func previous(_ end: Int) -> Int {
        var j = end - 1
        while base[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    /// `\p{N}{1,3}` from `i`, whose first scalar (of `length` bytes) is a number.
    @inline(__always)
    func upToThreeNumbers(_ i: Int, _ length: Int) -> Int {
        var j = i + length
        for _ in 0..<2 where j < count {
            let c = at(j)
            if c.flags & C.number == 0 { break }
            j += c.length
        }
        return j
    }

    /// ` ?OTHER+[\r\n]*` (with `slash`: ` ?OTHER+[\r\n/]*`) from `i`: the end, or nil. OTHER
    /// scalars with any of `excluded` do not count (Qwen 3.5 leaves marks out: `UP` and not L).
    @inline(__always)
    func spaceThenOthers(_ i: Int, _ firstValue: UInt32, slash: Bool, excluding excluded: UInt8 = 0) -> Int? {
        var j = i
        if firstValue == 0x20, i + 1 < count, Cursor.isOther(at(i + 1).flags), at(i + 1).flags & excluded == 0 { j = i + 1 }
        guard Cursor.isOther(at(j).flags), at(j).flags & excluded == 0 else { return nil }
        return newlinesEnd(otherRun(j, excluding: excluded), slash: slash)
    }

    /// The end of the run of `\r` and `\n` (with `slash`, also `/`) from `j`: the `[\r\n]*` that
    /// ends the OTHER rules.
    @inline(__always)
    func newlinesEnd(_ j: Int, slash: Bool) -> Int {
        var j = j
        while j < count, base[j] == 0x0D || base[j] == 0x0A || (slash && base[j] == 0x2F) { j &+= 1 }
        return j
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `i` (o200k) — case-insensitive, so `s` also matches ſ (U+017F).
    /// Returns the end, or `i` when it does not match.
    @inline(__always)
    func contraction(_ i: Int, caseless: Bool) -> Int {
        guard i + 1 < count, base[i] == 0x27 else { return i }
        let fold: (UInt8) -> UInt8 = { caseless && $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let c1 = fold(base[i + 1])
        switch c1 {
        case 0x73, 0x74, 0x6D, 0x64: return i + 2  // s t m d
        case 0x72, 0x76:  // 're 've
            if i + 2 < count, fold(base[i + 2]) == 0x65 { return i + 3 }
        case 0x6C:  // 'll
            if i + 2 < count, fold(base[i + 2]) == 0x6C { return i + 3 }
        case 0xC5:  // ſ is C5 BF
            if caseless, i + 2 < count, base[i + 2] == 0xBF { return i + 3 }
        default: break
        }
        return i
    }

    // MARK: o200k

    /// o200k_base:
    /// 1. `PRE?[UP]*[LOW]+'x?` 2. `PRE?[UP]+[LOW]*'x?` 3. `\p{N}{1,3}` 4. ` ?OTHER+[\r\n/]*`
    /// 5. `\s*[\r\n]+` 6. `\s+(?!\S)` 7. `\s+`
    ///
    /// Alternatives are tried in order, each first with the optional prefix, then without it
    /// (possible only when the first scalar is a mark, which is PRE and also UP and LOW).
    ///
    /// Inlining is stated here, not left to the optimizer: Swift honours `@inline(__always)`
    /// unconditionally only for a callee of at most 64 blocks (or a caller of fewer), and this
    /// function is larger, so its cost model decided, and a few more blocks anywhere in the piece
    /// loop moved this function or the word rule out of line (9–21% more instructions on
    /// English). The shape it had chosen, and the one measured: this function inlined into the
    /// piece loop, the word rule after the prefix inlined (most pieces of most text are a space
    /// and a word), the word rule from the first scalar called (``o200kWordsFromStart(_:)``).
    ///
    /// Mistral's Tekken pattern is this one without the contractions (`contractions: false`) and
    /// with one number a piece (`oneDigit`); the arguments are constants at each call, so each
    /// pattern gets its own code.
    @_transparent
    func o200k(_ i: Int, contractions: Bool = true, oneDigit: Bool = false) -> Int {
        if let end = o200kASCIIPiece(i) { return end }
        let first = at(i)
        let pre = Cursor.isPre(first.flags, first.value)
        let word = first.flags & (C.upper | C.lower) != 0
        if pre || word {
            // 1 with the prefix, 1 without, 2 with, 2 without (both only for a mark).
            let afterPrefix = pre ? o200kWords(i + first.length, contractions: contractions) : (lower: nil, upper: nil)
            if let end = afterPrefix.lower { return end }
            let fromStart = !word ? (lower: nil, upper: nil)
                : contractions ? o200kWordsFromStart(i) : tekkenWordsFromStart(i)
            if let end = fromStart.lower { return end }
            if let end = afterPrefix.upper { return end }
            if let end = fromStart.upper { return end }
        }
        // 3.
        if first.flags & C.number != 0 { return oneDigit ? i + first.length : upToThreeNumbers(i, first.length) }
        // 4.
        if let end = spaceThenOthers(i, first.value, slash: true) { return end }
        // 5, 6, 7: first is white space.
        let spaces = spaceRun(i)
        if spaces.afterLastNewline > 0 { return spaces.afterLastNewline }
        if spaces.end == count { return spaces.end }
        return spacesBeforeNonSpace(i, spaces.end)
    }

    /// From `j`, the ends of `[UP]*[LOW]+'x?` and of `[UP]+[LOW]*'x?` (nil where one does not
    /// match), from one pass over the `[UP]` run.
    ///
    /// When a `[LOW]` scalar follows the run, both take the run and the `[LOW]` run after it.
    /// Otherwise `[UP]*` gives back scalars until `[LOW]+` can start: at the run's last scalar that
    /// is also `[LOW]` (a `Lo`, `Lm` or mark), whose next scalar is not `[LOW]`, so the first
    /// match ends right after it — remembered on the way instead of walked back to; and the
    /// second ends with the run.
    @_transparent
    func o200kWords(_ j: Int, contractions: Bool = true) -> (lower: Int?, upper: Int?) {
        let (upEnd, afterLastLow, stopFlags, stopLength) = runStopping(j, C.upper) { flags, _ in flags & C.lower != 0 }
        let suffix = { (end: Int) in contractions ? self.contraction(end, caseless: true) : end }
        if stopFlags & C.lower != 0 {
            let end = suffix(run(upEnd + stopLength, C.lower))
            return (end, end)
        }
        return (afterLastLow >= 0 ? suffix(afterLastLow) : nil, upEnd > j ? suffix(upEnd) : nil)
    }

    /// ``o200kWords(_:)`` from a piece's first scalar, out of line (see ``o200k(_:)``).
    ///
    /// Most pieces of most text start with a space or punctuation; pieces that start with a
    /// letter come in runs where the case changes, as in base64 and camelCase, and end where the
    /// run of upper case and then lower case letters ends: an unpredictable branch per piece in
    /// the scalar loops. When the eight bytes from `j` are ASCII, that end comes from their
    /// letter masks instead (``asciiWordEnd(_:)``).
    @inline(never)
    func o200kWordsFromStart(_ j: Int) -> (lower: Int?, upper: Int?) {
        if let end = asciiWordEnd(j) { return end }
        return o200kWords(j)
    }

    /// ``o200kWordsFromStart(_:)`` for Tekken's pattern (no contractions; ``asciiWordEnd(_:)``
    /// declines a word before an apostrophe, which the scalar rule then ends there).
    @inline(never)
    func tekkenWordsFromStart(_ j: Int) -> (lower: Int?, upper: Int?) {
        if let end = asciiWordEnd(j) { return end }
        return o200kWords(j, contractions: false)
    }

    /// The piece at `i` in the commonest shapes of ASCII text, found with bit scans instead of
    /// scalar loops (whose exits, one per run, the branch predictor misses): an ASCII prefix byte
    /// and an ASCII word (` word`, `(self`, `.Name`: rules 1 and 2 with the prefix, by
    /// ``asciiWordEnd(_:)``), two or more spaces before an ASCII byte that is not white space
    /// (rule 6 gives all but the last space: ``asciiSpacesEnd(_:)``), punctuation after such a
    /// byte (rule 4, ``asciiOthersEnd(_:slash:)``), and line breaks before an indent or a word (rule 5:
    /// ``lineBreaksEnd(_:)``). Nil for anything else, which the rules decide.
    ///
    /// A prefix byte is ASCII PRE: not a letter, digit, `\r` or `\n`, and so not a word scalar, so
    /// no rule tried before rule 1 with the prefix can match, and only when no word follows it can
    /// a later one. Two spaces are PRE with no word after them, not OTHER and no number, and a run
    /// of spaces that ends before a non-space holds no `\r` or `\n` for rule 5.
    @inline(__always)
    func o200kASCIIPiece(_ i: Int) -> Int? {
        guard i &+ 9 <= count else { return nil }
        let b0 = base[i], b1 = base[i &+ 1]
        if b0 == 0x0A || b0 == 0x0D { return lineBreaksEnd(i) }
        guard b0 < 0x80, b1 < 0x80, classes.ascii[Int(b0)] & (C.letter | C.number) == 0 else { return nil }
        if classes.ascii[Int(b1)] & C.letter != 0 { return asciiWordEnd(i &+ 1).flatMap { $0.lower ?? $0.upper } }
        return b0 == 0x20 && b1 == 0x20 ? asciiSpacesEnd(i) : asciiOthersEnd(i, slash: true)
    }

    /// The piece at a `\r` or `\n` (at `i`) whose run of white space ends before an ASCII byte
    /// that is not white space: the run up to and with its last `\r` or `\n`. Nil when the run
    /// meets a byte beyond ASCII (it may be white space) or the end of the text, which the rules
    /// then decide.
    ///
    /// No rule before the line-break rule (`\s*[\r\n]+`; cl100k's `\s*[\r\n]`, after `\s++$`,
    /// which cannot match before a non-space) matches at a `\r` or `\n`: it is no letter, number,
    /// PRE or OTHER scalar. That rule's `\s*` takes the run, then gives back to its last line
    /// break. Line breaks before an indent or a line's first word, blank lines among them, are
    /// such pieces in most text and code.
    /// - Complexity: O(run length).
    @inline(never)  // a call, as ``asciiSpacesEnd(_:)`` is: inlined, it would grow the piece loop
    func lineBreaksEnd(_ i: Int) -> Int? {
        var k = i &+ 1, afterLineBreak = k
        while k < count {
            let b = base[k]
            if b == 0x20 {  // an indent's spaces: one compare each
                k &+= 1
                continue
            }
            guard b < 0x80 else { return nil }
            if classes.ascii[Int(b)] & C.space == 0 { return afterLineBreak }
            k &+= 1
            if b == 0x0A || b == 0x0D { afterLineBreak = k }
        }
        return nil
    }

    /// ` ?OTHER+[\r\n/]*` (without `slash`: ` ?OTHER+[\r\n]*`) from `i`, for an ASCII byte at `i`
    /// that is PRE and is followed by no letter: the end, or nil when it does not match (white
    /// space that is not one space before OTHER, or a number after a space), which the rules then
    /// decide. Those are the pieces it stands for: with no word after the prefix and no number at
    /// `i`, the OTHER rule is the first that can match. ASCII bytes take their class in one load;
    /// a scalar beyond ASCII goes on through ``otherRun(_:excluding:)``.
    @inline(never)  // punctuation pieces are fewer than words; inlined, the shortcut left the piece loop
    func asciiOthersEnd(_ i: Int, slash: Bool, excluding excluded: UInt8 = 0) -> Int? {
        var j = base[i] == 0x20 ? i &+ 1 : i
        let start = j
        while j < count {
            let b = base[j]
            if b >= 0x80 {
                j = otherRun(j, excluding: excluded)
                break
            }
            if !Cursor.isOther(classes.ascii[Int(b)]) { break }
            j &+= 1
        }
        guard j > start else { return nil }
        return newlinesEnd(j, slash: slash)
    }

    /// For a run of at least two spaces (U+0020) from `i` that ends before an ASCII byte that is
    /// not white space: the start of its last space. Nil otherwise (a run of one, a run that ends
    /// at other white space, at a byte beyond ASCII or within eight bytes of the end).
    /// - Complexity: O(run length / 8).
    @inline(never)  // rarer than words, and inlined it took ``o200kASCIIPiece(_:)`` out of the piece loop
    func asciiSpacesEnd(_ i: Int) -> Int? {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, spaces: UInt64 = 0x2020_2020_2020_2020
        var k = i
        while k &+ 8 <= count {
            let y = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)) ^ spaces
            // Bit 7 of each byte that is not a space (no carries between bytes).
            let other = ((y & low7) &+ low7 | y) & ~low7
            if other != 0 {
                let end = k &+ other.trailingZeroBitCount &>> 3
                let b = base[end]
                guard end &- i >= 2, b < 0x80, classes.ascii[Int(b)] & C.space == 0 else { return nil }
                return end &- 1
            }
            k &+= 8
        }
        return nil
    }

    /// Bit 7 of each byte of `x` in `range` (within 0x01…0x7F), the others clear: right for every
    /// byte before the first one from 0x80 on (adding to such a byte carries into the next).
    @inline(__always)
    static func bytesIn(_ range: ClosedRange<UInt8>, _ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        return (x &+ ones &* UInt64(0x80 - range.lowerBound)) & ~(x &+ ones &* UInt64(0x7F - range.upperBound)) & high
    }

    /// ``o200kWords(_:)`` at `j` when the word is ASCII and ends, before a byte other than the
    /// apostrophe, at an ASCII byte within the eight bytes from `j` or, when those are all one
    /// upper- then lower-case run, where its lower-case letters end; nil otherwise.
    ///
    /// An ASCII upper-case letter is UP and not LOW, a lower-case one LOW and not UP, and an ASCII
    /// byte that is neither letter is neither: so `[UP]*[LOW]+` and `[UP]+[LOW]*` both end after
    /// the run of upper case letters and the run of lower case letters after it (the first fails
    /// when the second run is empty), unless an apostrophe there starts a contraction. A byte from
    /// 0x80 on may go on with the word (a letter or mark beyond ASCII): the word must end before
    /// the first one. Adding to a byte from 0x80 on carries into the next byte, never into the
    /// ones before it, so the masks are right up to that byte.
    /// - Complexity: O(word length / 8): the runs are counted with bit scans, not walked.
    @inline(__always)
    func asciiWordEnd(_ j: Int) -> (lower: Int?, upper: Int?)? {
        guard j &+ 8 <= count else { return nil }
        let x = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
        let high: UInt64 = 0x8080_8080_8080_8080
        let limit = (x & high).trailingZeroBitCount &>> 3  // the first byte from 0x80 on (8: none)
        // Bit 7 of each byte in A-Z, and in a-z (right up to `limit`).
        let upper = Cursor.bytesIn(0x41...0x5A, x)
        let lower = Cursor.bytesIn(0x61...0x7A, x)
        let uppers = (high & ~upper).trailingZeroBitCount &>> 3
        guard uppers < limit else { return nil }
        var end = (high & ~lower & (UInt64.max &<< (uppers &<< 3))).trailingZeroBitCount &>> 3
        if end == 8, limit == 8 {
            // All eight bytes are the word, the last of them lower case: the lower-case run goes on.
            var k = j &+ 8
            while true {
                guard k &+ 8 <= count else { return nil }
                let y = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let yLimit = (y & high).trailingZeroBitCount &>> 3
                let notLower = high & ~Cursor.bytesIn(0x61...0x7A, y)
                let run = notLower.trailingZeroBitCount &>> 3
                if run < 8 {
                    guard run < yLimit else { return nil }
                    end = k &+ run &- j
                    break
                }
                guard yLimit == 8 else { return nil }
                k &+= 8
            }
        } else {
            guard end < limit else { return nil }
        }
        guard end > 0, base[j &+ end] != 0x27 else { return nil }
        return end > uppers ? (j &+ end, j &+ end) : (nil, j &+ end)
    }

    // MARK: cl100k

    /// cl100k_base:
    /// 1. `'(?i:[sdmt]|ll|ve|re)` 2. `PRE?+\p{L}++` 3. `\p{N}{1,3}+` 4. ` ?OTHER++[\r\n]*+`
    /// 5. `\s++$` 6. `\s*[\r\n]` 7. `\s+(?!\S)` 8. `\s`
    @inline(__always)
    func cl100k(_ i: Int) -> Int {
        if let end = cl100kASCIIPiece(i) { return end }
        let first = at(i)
        if first.value == 0x27 {
            let end = contraction(i, caseless: true)
            if end > i { return end }
        }
        // 2: the prefix is possessive: once taken, letters must follow.
        if Cursor.isPre(first.flags, first.value) {
            let j = i + first.length
            if j < count, at(j).flags & C.letter != 0 { return run(j, C.letter) }
        } else if first.flags & C.letter != 0 {
            return run(i, C.letter)
        }
        if first.flags & C.number != 0 { return upToThreeNumbers(i, first.length) }
        if let end = spaceThenOthers(i, first.value, slash: false) { return end }
        // White space.
        let spaces = spaceRun(i)
        if spaces.end == count { return count }                      // 5
        if spaces.afterLastNewline > 0 { return spaces.afterLastNewline }  // 6
        return spacesBeforeNonSpace(i, spaces.end)                  // 7, else 8
    }

    /// ``o200kASCIIPiece(_:)`` for cl100k_base: an ASCII word, alone or after an ASCII prefix byte
    /// (rule 2, letters of either case: ``asciiLettersEnd(_:)``), two or more spaces before an
    /// ASCII byte that is not white space (rule 7, as for o200k), or line breaks before an indent or
    /// a word (rule 6, ``lineBreaksEnd(_:)``). Nil for anything else, and for
    /// an apostrophe, which may start a contraction (rule 1). Also Llama 3's and Qwen's rules on
    /// ASCII, whose punctuation runs leave out the OTHER scalars with any of `excluded` (Qwen 3.5's
    /// marks).
    @inline(__always)
    func cl100kASCIIPiece(_ i: Int, excluding excluded: UInt8 = 0) -> Int? {
        guard i &+ 9 <= count else { return nil }
        let b0 = base[i], b1 = base[i &+ 1]
        if b0 == 0x0A || b0 == 0x0D { return lineBreaksEnd(i) }
        guard b0 < 0x80, b1 < 0x80, b0 != 0x27 else { return nil }
        let flags = classes.ascii[Int(b0)]
        if flags & C.letter != 0 { return asciiLettersEnd(i) }
        guard flags & C.number == 0 else { return nil }
        if classes.ascii[Int(b1)] & C.letter != 0 { return asciiLettersEnd(i &+ 1) }
        return b0 == 0x20 && b1 == 0x20 ? asciiSpacesEnd(i) : asciiOthersEnd(i, slash: false, excluding: excluded)
    }

    /// The end of the run of ASCII letters (either case) from `j` when it ends at an ASCII byte
    /// that is not a letter; nil when it ends at a byte from 0x80 on (a letter beyond ASCII may go
    /// on with it) or within eight bytes of the end of the text.
    /// - Complexity: O(run length / 8).
    @inline(__always)
    func asciiLettersEnd(_ j: Int) -> Int? {
        let high: UInt64 = 0x8080_8080_8080_8080
        var k = j
        while k &+ 8 <= count {
            let x = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
            let limit = (x & high).trailingZeroBitCount &>> 3
            let folded = x | 0x2020_2020_2020_2020  // a-z and A-Z to a-z (right up to `limit`)
            let notLetter = high & ~Cursor.bytesIn(0x61...0x7A, folded)
            let run = notLetter.trailingZeroBitCount &>> 3
            if run < 8 { return run < limit ? k &+ run : nil }
            guard limit == 8 else { return nil }
            k &+= 8
        }
        return nil
    }

    // MARK: Llama 3 and Qwen

    /// Llama 3, Qwen (`oneDigit`) and Qwen 3.5 (`oneDigit`, `marks`):
    /// 1. `(?i:'s|'t|'re|'ve|'m|'ll|'d)` 2. `PRE?\p{L}+` (with `marks`: `PRE?[\p{L}\p{M}]+`)
    /// 3. `\p{N}{1,3}` (`oneDigit`: `\p{N}`) 4. ` ?OTHER+[\r\n]*` (with `marks`: OTHER not a mark)
    /// 5. `\s*[\r\n]+` 6. `\s+(?!\S)` 7. `\s+`
    ///
    /// 2 is cl100k's rule: a prefix with no letter after it gives the match back, and then no
    /// letter run starts at it either — except a mark under `marks`, which is PRE and a word
    /// scalar, so the run starts at it. 5 to 7 are o200k's. Each scalar is decoded once: a word
    /// run or an OTHER run goes on from the first or second scalar, already read (pieces of these
    /// patterns are often one or two scalars: letters and marks of Indic scripts are apart).
    @inline(__always)
    func llama(_ i: Int, oneDigit: Bool, marks: Bool) -> Int {
        let excluded = marks ? C.upper : 0
        // On ASCII the rules are cl100k's (they differ only in runs of newlines and marks).
        if let end = cl100kASCIIPiece(i, excluding: excluded) { return end }
        let first = at(i)
        if first.value == 0x27 {
            let end = contraction(i, caseless: true)
            if end > i { return end }
        }
        let word = marks ? C.letter | C.upper : C.letter
        let j = i + first.length
        if first.flags & word != 0 { return run(j, word) }
        if first.flags & C.number != 0 { return oneDigit ? j : upToThreeNumbers(i, first.length) }
        guard j < count else { return j }  // a last scalar that is OTHER or white space: rule 4 or 5–7
        let second = at(j)
        if second.flags & word != 0, Cursor.isPre(first.flags, first.value) { return run(j + second.length, word) }
        // 4, from the first scalar or after one space.
        let secondIsOther = Cursor.isOther(second.flags) && second.flags & excluded == 0
        var end = -1
        if Cursor.isOther(first.flags) && first.flags & excluded == 0 {
            end = secondIsOther ? otherRun(j + second.length, excluding: excluded) : j
        } else if first.value == 0x20 && secondIsOther {
            end = otherRun(j + second.length, excluding: excluded)
        }
        if end >= 0 { return newlinesEnd(end, slash: false) }
        let spaces = spaceRun(i)
        if spaces.afterLastNewline > 0 { return spaces.afterLastNewline }
        if spaces.end == count { return spaces.end }
        return spacesBeforeNonSpace(i, spaces.end)
    }

    // Each variant out of line with its constants folded (one shared copy took them as arguments).
    @inline(never) func llama3(_ i: Int) -> Int { llama(i, oneDigit: false, marks: false) }
    @inline(never) func qwen(_ i: Int) -> Int { llama(i, oneDigit: true, marks: false) }
    @inline(never) func qwen3_5(_ i: Int) -> Int { llama(i, oneDigit: true, marks: true) }

    // MARK: r50k

    /// r50k_base and p50k_base:
    /// 1. `'(?:[sdmt]|ll|ve|re)` 2. ` ?\p{L}++` 3. ` ?\p{N}++` 4. ` ?OTHER++` 5. `\s++$`
    /// 6. `\s+(?!\S)` 7. `\s`
    @inline(__always)
    func r50k(_ i: Int) -> Int {
        let first = at(i)
        if first.value == 0x27 {
            let end = contraction(i, caseless: false)
            if end > i { return end }
        }
        var j = i
        var flags = first.flags
        if first.value == 0x20, i + 1 < count {
            let next = at(i + 1)
            if next.flags & (C.letter | C.number) != 0 || Cursor.isOther(next.flags) {
                j = i + 1
                flags = next.flags
            }
        }
        if flags & C.letter != 0 { return run(j, C.letter) }
        if flags & C.number != 0 { return run(j, C.number) }
        if Cursor.isOther(flags) { return otherRun(j) }
        let spaces = spaceRun(i)
        if spaces.end == count { return count }
        return spacesBeforeNonSpace(i, spaces.end)
    }
}
