extension Encoding {
    /// The length in bytes of the longest prefix of `text` that ends on a grapheme cluster
    /// boundary (a `Character` boundary: never between an emoji and its skin tone, never after a
    /// ZWJ) and encodes (as ordinary text) to at most `maxTokens` tokens.
    ///
    /// Not `tokens[..<maxTokens]` then decode, which can end inside a character and need not
    /// re-encode to the same tokens. Prefixes are tried from two pieces past the piece where the
    /// running count first exceeds the budget, backwards (in a piece over 256 bytes by binary
    /// search, whose answer always fits but might not be the longest); each is counted exactly,
    /// re-encoding only the few bytes after the last piece that cutting cannot change (see
    /// `BudgetCut`). Only the text up to the search top is read.
    /// - Complexity: O(length of the prefix plus a few pieces).
    ///
    /// With a ``normalizer``, the length is in `normalize(text)`.
    /// - Throws: ``TokenEncodingError/invalidBudget(_:)`` for a normaliser that is not idempotent
    ///   (``Normalizer/isIdempotent``): parts of its output would not encode as they do in place.
    public func prefixLength(_ text: String, maxTokens: Int) throws(TokenEncodingError) -> Int {
        guard maxTokens > 0 else { return 0 }
        try checkBudgetNormalizer()
        return try Encoding.withUTF8(normalize(text)) { buffer throws(TokenEncodingError) in
            var guess = Encoding.windowGuess(maxTokens)
            return try cut(buffer, from: 0, isComplete: true, maxTokens: maxTokens, splitCharacters: false, guess: &guess)!.length
        }
    }

    /// Consecutive chunks of at most `maxTokens` tokens each (as ordinary text), cut on grapheme
    /// cluster boundaries; with `overlap` > 0 each chunk after the first starts where the previous
    /// chunk's last `overlap` tokens begin (moved on to a grapheme cluster boundary, so it repeats
    /// at most those tokens' text, and nothing when they all lie in the last character). Byte ranges
    /// into the UTF-8. A character that alone needs more tokens than `maxTokens` (a long run of
    /// combining marks) is cut between its scalars where that fits, else its first scalar is a
    /// chunk of its own.
    /// - Complexity: O(n): each chunk is found with ``prefixLength(_:maxTokens:)``'s search,
    ///   reading only that chunk and a few pieces past it.
    ///
    /// With a ``normalizer``, the ranges are in `normalize(text)`.
    /// - Throws: ``TokenEncodingError/invalidBudget(_:)`` unless `maxTokens` ≥ 1 and 0 ≤ `overlap` < `maxTokens`.
    public func chunks(_ text: String, maxTokens: Int, overlap: Int = 0) throws(TokenEncodingError) -> [Range<Int>] {
        try checkChunkBudget(maxTokens: maxTokens, overlap: overlap)
        return try Encoding.withUTF8(normalize(text)) { buffer throws(TokenEncodingError) in
            var ranges = [Range<Int>]()
            var start = 0
            var guess = Encoding.windowGuess(maxTokens)
            while start < buffer.count {
                let step = try chunk(buffer, from: start, isComplete: true, maxTokens: maxTokens, overlap: overlap, guess: &guess)!
                ranges.append(start..<step.end)
                start = step.next
            }
            return ranges
        }
    }

    /// One chunk of `text` from `start`: its end, its tokens, and where the next one starts; nil
    /// when the text may go on (`isComplete` false) and more of it is needed.
    func chunk(_ text: UnsafeBufferPointer<UInt8>, from start: Int, isComplete: Bool, maxTokens: Int, overlap: Int,
               guess: inout Int) throws(TokenEncodingError) -> (end: Int, tokens: [Rank], next: Int)? {
        guard let cut = try cut(text, from: start, isComplete: isComplete, maxTokens: maxTokens,
                                splitCharacters: true, guess: &guess) else { return nil }
        let end = start + cut.length
        var next = end
        if overlap > 0, end < text.count || !isComplete {
            let keep = cut.tokens.suffix(overlap).reduce(0) { $0 + (tokenBytes($1)?.count ?? 0) }
            // The first boundary at or after the last `overlap` tokens' start: never more overlap
            // than those tokens, so the next chunk has room for new text.
            var back = max(cut.length - keep, 1)
            var boundaries = GraphemeBoundaries(UnsafeBufferPointer(rebasing: text[start..<end]), upTo: cut.length)
            while back < cut.length, !boundaries.contains(back) { back += 1 }
            next = start + back
        }
        return (end, cut.tokens, next)
    }

    /// `budgetCut` of `text[start...]` through a window that starts near `guess` bytes and
    /// doubles until it decides; `guess` then follows the lengths seen. Nil when the window
    /// reached the end of `text` and `text` may go on.
    func cut(_ text: UnsafeBufferPointer<UInt8>, from start: Int, isComplete: Bool, maxTokens: Int,
             splitCharacters: Bool, guess: inout Int) throws(TokenEncodingError) -> BudgetCut? {
        var width = guess
        while true {
            var end = min(text.count, start + width)
            while end < text.count, end > start, text[end] & 0xC0 == 0x80 { end -= 1 }
            let atEnd = end == text.count && isComplete
            if let cut = try budgetCut(UnsafeBufferPointer(rebasing: text[start..<end]), atEnd: atEnd,
                                       maxTokens: maxTokens, splitCharacters: splitCharacters) {
                guess = max(Encoding.windowGuess(maxTokens), cut.length + cut.length / 2)
                return cut
            }
            if end == text.count { return nil }
            width *= 2
        }
    }

    /// The first window for a budget: a generous guess at the bytes `maxTokens` tokens span.
    static func windowGuess(_ maxTokens: Int) -> Int {
        min(maxTokens, 1 << 24) * 6 + 1024
    }

    func checkChunkBudget(maxTokens: Int, overlap: Int) throws(TokenEncodingError) {
        guard maxTokens > 0, overlap >= 0, overlap < maxTokens else {
            throw .invalidBudget("chunks need maxTokens ≥ 1 and 0 ≤ overlap < maxTokens (got \(maxTokens) and \(overlap))")
        }
        try checkBudgetNormalizer()
    }
}

extension Encoding {
    /// The number of tokens ``encodeOrdinary(_:)`` gives for `text` when it is at most `limit`, or
    /// nil when it is more: "is this within N tokens?" without encoding everything. Pieces are
    /// merged in order and counting stops at the first piece that goes over the limit.
    /// - Complexity: O(length of the prefix that holds `limit` tokens, plus one piece).
    public func countTokens(_ text: String, limit: Int) throws(TokenEncodingError) -> Int? {
        guard limit >= 0 else { return nil }
        if huggingFace != nil {
            // Added tokens and merges-list BPE: the whole encoding.
            let count = try encodeOrdinary(text).count
            return count <= limit ? count : nil
        }
        return try Encoding.withUTF8(normalize(text)) { buffer throws(TokenEncodingError) -> Int? in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
            if let byte = vocabulary.firstMissingByte(in: buffer) { throw .noTokenForByte(byte) }
            struct OverLimit: Error {}
            var output = [Rank]()
            var count = 0
            let merger = self.merger
            do {
                try preTokenizer.forEachPiece(in: buffer) { range in
                    output.removeAll(keepingCapacity: true)
                    merger.appendTokens(base + range.lowerBound, range.count, into: &output)
                    count += output.count
                    if count > limit { throw OverLimit() }
                }
            } catch is OverLimit {
                return nil
            } catch {
                throw .patternFailed(String(describing: error))
            }
            return count
        }
    }
}

extension Encoding {
    /// Truncating and chunking encode parts of the normalised text on their own, which gives what
    /// they give in place only when normalising normal text changes nothing.
    func checkBudgetNormalizer() throws(TokenEncodingError) {
        if let normalizer, !normalizer.isIdempotent {
            throw .invalidBudget("truncating and chunking need a normaliser that leaves normal text alone; \(name)'s (\(normalizer)) does not")
        }
    }
}
