/// The first cut of a text within a token budget: the one step that truncating and chunking
/// repeat.
///
/// **Definitions.** For a normal text `t` and a budget `N`, a *fitting prefix* is a prefix
/// `t[..<k]` that ends on a grapheme cluster boundary and encodes, on its own, to at most `N`
/// tokens. The *search top* is the end of the second piece after the piece in which the running
/// token count of `t`'s pieces first exceeds `N` (a prefix can hold fewer tokens than the pieces
/// it spans, because a prefix's last piece is merged on its own). The *cut* is the longest fitting
/// prefix at or below the search top, boundaries tried from the top down.
///
/// **Invariant.** A pre-tokenizer match at `q` reads the text up to some offset and no further;
/// if that offset is below `k`, the match is the same in `t` and in `t[..<k]`, and so are all the
/// matches before it (the patterns have no look-behind). For the built-in patterns a match
/// starting at `q` and ending at `e` reads no further than the end of the whitespace run at `q`
/// (the whitespace alternatives scan the whole run, then give some back) or `e`, plus at most
/// three characters (a contraction's `'ll`, the character that ends a run), which
/// `lookaheadMargin` bytes cover. So the pieces of `t` whose bounds, and the bounds of all pieces before them, lie
/// at or below `k` are the first pieces of `t[..<k]` too, and
/// `count(t[..<k]) = tokens of those pieces + count(rest of t[..<k] encoded on its own)`.
///
/// **Algorithm.** 1. Pre-tokenize and merge `t` piece by piece, stopping two pieces after the
/// running count passes `N`. 2. Walk candidate ends down from the search top over grapheme
/// boundaries (in a piece over 256 bytes, binary search, whose answer always fits but need not be
/// the longest); count each as above, re-encoding only the short stretch after the last stable
/// piece. 3. Where the rule is not proved (a custom pattern, a `tokenizer.json` pipeline, a
/// normaliser), the chosen prefix is encoded whole to check the count, and if it differs the
/// search is redone encoding every candidate whole.
///
/// **Example** (`BudgetTests.workedExample`). o200k_base, `N` = 3, `t` = `"Hello 👋🏽 world"`:
/// pieces `Hello`, ` 👋🏽`, ` world` of 1, 4 and 1 tokens; the count passes 3 in the second
/// piece, so the search top is the end of `t`. Candidates: `t` (6 tokens), `"Hello 👋🏽"` (5),
/// then `"Hello "` (2): the cut. The offset between 👋 and the skin tone is not a boundary and
/// is never tried, though `"Hello 👋"` (3 tokens) would fit: it would drop the tone.
/// - Complexity: O(length of the prefix plus the search window), for the built-in patterns.
struct BudgetCut: Equatable {
    /// The prefix's length in bytes.
    var length: Int
    /// The prefix's tokens.
    var tokens: [Rank]
}

extension Encoding {
    /// How `budgetCut` counts a candidate prefix: from the pieces proved stable (`proven`), the
    /// same with the chosen prefix checked whole (`verified`), or every candidate whole (`exact`,
    /// the slow oracle the tests compare with).
    enum BudgetCounting { case proven, verified, exact }

    /// How each candidate is counted unless a test says otherwise.
    var budgetCounting: BudgetCounting {
        huggingFace == nil && normalizer == nil && preTokenizer.hasSafeCuts ? .proven : .verified
    }

    /// The cut of `text` (normal text, valid UTF-8) for `maxTokens` ≥ 1; nil when `text` may go on
    /// (`atEnd` false) and what is here is too short to decide.
    ///
    /// With `splitCharacters`, when no grapheme boundary fits (one character needs more tokens
    /// than the budget), the longest scalar-boundary prefix of the first character that fits is
    /// taken, else its first scalar alone; without it the cut is then empty.
    func budgetCut(_ text: UnsafeBufferPointer<UInt8>, atEnd: Bool, maxTokens: Int, splitCharacters: Bool,
                   counting: BudgetCounting? = nil) throws(TokenEncodingError) -> BudgetCut? {
        guard !text.isEmpty else { return atEnd ? BudgetCut(length: 0, tokens: []) : nil }
        let window = try budgetPieces(text, maxTokens: maxTokens)
        guard let crossing = window.crossing else {
            return atEnd ? BudgetCut(length: text.count, tokens: window.tokens) : nil
        }
        let last = min(crossing + 2, window.ranges.count - 1)
        // Each piece's bound, and the running maximum: pieces[..<i] are stable for k ≥ bound[i].
        var stableBefore = [0]
        stableBefore.reserveCapacity(last + 2)
        var runEnd = 0
        for j in 0...last {
            let piece = window.ranges[j]
            if piece.lowerBound >= runEnd {
                // White_Space, which holds everything any built-in pattern's `\s` matches.
                runEnd = UnicodeText.whitespaceEnd(from: piece.lowerBound, in: text)
            }
            stableBefore.append(max(stableBefore[j], max(piece.upperBound, runEnd) + Encoding.lookaheadMargin))
        }
        if !atEnd && (last < crossing + 2 || stableBefore[last + 1] > text.count) { return nil }
        var search = BudgetSearch(text: text, window: window, stableBefore: stableBefore, last: last,
                                  maxTokens: maxTokens, encoding: self)
        let mode = counting ?? budgetCounting
        var cut = try search.run(exact: mode == .exact, splitCharacters: splitCharacters)
        if mode == .verified {
            var whole = [Rank]()
            try encodeCore(UnsafeBufferPointer(rebasing: text[..<cut.length]), allowed: nil, disallowed: nil, into: &whole)
            if whole != cut.tokens { cut = try search.run(exact: true, splitCharacters: splitCharacters) }
        }
        return cut
    }

    /// Bytes past a piece's end (or its whitespace run's) that matching it may have read: three
    /// characters of at most four bytes, and room to spare.
    static let lookaheadMargin = 16

    /// The pieces of `text` and their tokens, merged in order, up to two pieces after the one in
    /// which the running count first exceeds `maxTokens` (`crossing`; nil when all of `text` fits).
    func budgetPieces(_ text: UnsafeBufferPointer<UInt8>, maxTokens: Int) throws(TokenEncodingError) -> BudgetWindow {
        var window = BudgetWindow()
        if huggingFace != nil {
            // A pipeline encodes a whole stretch at once.
            var collector = PieceCollector()
            try encodeCore(text, allowed: nil, disallowed: nil, into: &window.tokens, pieces: &collector)
            for piece in collector.pieces {
                window.ranges.append(piece.range)
                window.tokenEnds.append(piece.tokenEnd)
                if window.crossing == nil, piece.tokenEnd > maxTokens { window.crossing = window.ranges.count - 1 }
                if let crossing = window.crossing, window.ranges.count > crossing + 2 { break }
            }
            if let end = window.tokenEnds.last { window.tokens.removeSubrange(end...) }
            return window
        }
        guard let base = text.baseAddress else { return window }
        if let byte = vocabulary.firstMissingByte(in: text) { throw .noTokenForByte(byte) }
        let expected = min(text.count / 2, maxTokens + 64)
        window.ranges.reserveCapacity(expected)
        window.tokenEnds.reserveCapacity(expected)
        window.tokens.reserveCapacity(expected + 16)
        struct Enough: Error {}
        let merger = self.merger
        do {
            try preTokenizer.forEachPiece(in: text) { range in
                merger.appendTokens(base + range.lowerBound, range.count, into: &window.tokens)
                window.ranges.append(range)
                window.tokenEnds.append(window.tokens.count)
                if window.crossing == nil, window.tokens.count > maxTokens { window.crossing = window.ranges.count - 1 }
                if let crossing = window.crossing, window.ranges.count > crossing + 2 { throw Enough() }
            }
        } catch is Enough {
        } catch {
            throw .patternFailed(String(describing: error))
        }
        return window
    }
}

/// A text's first pieces and their tokens (`budgetPieces`).
struct BudgetWindow {
    var ranges = [Range<Int>]()
    /// The running token count after each piece.
    var tokenEnds = [Int]()
    var tokens = [Rank]()
    var crossing: Int?

    /// Tokens before piece `i`.
    func tokensBefore(_ i: Int) -> Int { i == 0 ? 0 : tokenEnds[i - 1] }
}

/// Step 2 of `budgetCut`: candidates from the search top down.
struct BudgetSearch {
    let text: UnsafeBufferPointer<UInt8>
    let window: BudgetWindow
    let stableBefore: [Int]
    /// The piece whose end is the search top.
    let last: Int
    let maxTokens: Int
    let encoding: Encoding
    var boundaries: GraphemeBoundaries
    /// The tail tokens of the last prefix counted, after `window.tokens[..<tailBase]`.
    var tail = [Rank]()
    var tailBase = 0

    init(text: UnsafeBufferPointer<UInt8>, window: BudgetWindow, stableBefore: [Int], last: Int, maxTokens: Int, encoding: Encoding) {
        self.text = text
        self.window = window
        self.stableBefore = stableBefore
        self.last = last
        self.maxTokens = maxTokens
        self.encoding = encoding
        boundaries = GraphemeBoundaries(text, upTo: window.ranges[last].upperBound)
    }

    /// The tokens of `text[..<k]`: the stable pieces' and the rest's, encoded on its own (or all
    /// of it on its own, `exact`). Leaves them in `tailBase`/`tail`.
    mutating func count(_ k: Int, exact: Bool) throws(TokenEncodingError) -> Int {
        var i = 0
        if !exact {
            var low = 0, high = stableBefore.count - 1  // the largest i with stableBefore[i] ≤ k
            while low < high {
                let mid = (low + high + 1) / 2
                if stableBefore[mid] <= k { low = mid } else { high = mid - 1 }
            }
            i = low
        }
        let start = i == 0 ? 0 : window.ranges[i - 1].upperBound
        tailBase = window.tokensBefore(i)
        tail.removeAll(keepingCapacity: true)
        try encoding.encodeCore(UnsafeBufferPointer(rebasing: text[start..<k]), allowed: nil, disallowed: nil, into: &tail)
        return tailBase + tail.count
    }

    func result(_ k: Int) -> BudgetCut {
        BudgetCut(length: k, tokens: Array(window.tokens[..<tailBase]) + tail)
    }

    mutating func run(exact: Bool, splitCharacters: Bool) throws(TokenEncodingError) -> BudgetCut {
        var index = last
        while index >= 0 {
            let piece = window.ranges[index]
            if piece.count > 256 {
                var low = piece.lowerBound, high = piece.upperBound  // the answer is in low...high
                while low < high {
                    var mid = (low + high + 1) / 2
                    while mid > low, !boundaries.contains(mid) { mid -= 1 }
                    if mid == low { break }
                    if try count(mid, exact: exact) <= maxTokens { low = mid } else { high = mid - 1 }
                }
                if low > piece.lowerBound {
                    _ = try count(low, exact: exact)
                    return result(low)
                }
            } else {
                var k = piece.upperBound
                while k > piece.lowerBound {
                    if boundaries.contains(k), try count(k, exact: exact) <= maxTokens { return result(k) }
                    k -= 1
                }
            }
            index -= 1
        }
        // No grapheme boundary fits.
        guard splitCharacters else { return BudgetCut(length: 0, tokens: []) }
        let top = window.ranges[last].upperBound
        var k = 1
        while k < top, !boundaries.contains(k) { k += 1 }  // the first character's end
        k -= 1
        while k > 0 {
            if text[k] & 0xC0 != 0x80, try count(k, exact: exact) <= maxTokens { return result(k) }
            k -= 1
        }
        var scalarEnd = 1
        while scalarEnd < text.count, text[scalarEnd] & 0xC0 == 0x80 { scalarEnd += 1 }
        _ = try count(scalarEnd, exact: true)
        return result(scalarEnd)
    }
}
