extension Encoding {
    /// The length in bytes of the longest prefix of `text` that ends on a character boundary and
    /// encodes (as ordinary text) to at most `maxTokens` tokens.
    ///
    /// Not `tokens[..<maxTokens]` then decode, which can end inside a character and need not
    /// re-encode to the same tokens. How it works: the whole text is encoded once; the count of a
    /// prefix ending at `k` is the whole text's tokens before the last safe cut `c < k` (see
    /// `safeCuts`: encoding splits there exactly) plus the tokens of `text[c..<k]` encoded on its
    /// own, which is exact. Prefixes are tried from two pieces past the piece where the running
    /// count first exceeds the budget, backwards, character boundary by character boundary (in a
    /// piece over 4 KiB, by binary search, whose answer always fits but might not be the longest).
    /// - Complexity: O(n) to encode, plus, per prefix tried, the distance back to a safe cut.
    ///
    /// With a ``normalizer``, the length is in `normalize(text)`.
    /// - Throws: ``EncodingError/invalidBudget(_:)`` for a normaliser that is not idempotent
    ///   (``Normalizer/isIdempotent``): parts of its output would not encode as they do in place.
    public func prefixLength(_ text: String, maxTokens: Int) throws(EncodingError) -> Int {
        guard maxTokens > 0 else { return 0 }
        try checkBudgetNormalizer()
        let text = normalize(text)
        let pieces = try encodePieces(text, disallowedSpecial: .none)
        let utf8 = Array(text.utf8)
        var before = [0]  // tokens before each piece
        for piece in pieces { before.append(before.last! + piece.tokens.count) }
        guard let crossing = before.indices.dropFirst().first(where: { before[$0] > maxTokens }).map({ $0 - 1 }) else {
            return utf8.count
        }
        let cuts = utf8.withUnsafeBufferPointer { preTokenizer.safeCuts($0, every: 1) }
        /// Tokens before a piece boundary `c` in the whole text.
        func tokensBefore(_ c: Int) -> Int {
            var low = 0, high = pieces.count  // the piece starting at c
            while low < high {
                let mid = (low + high) / 2
                if pieces[mid].range.lowerBound < c { low = mid + 1 } else { high = mid }
            }
            return before[low]
        }
        func count(_ k: Int) throws(EncodingError) -> Int {
            var low = 0, high = cuts.count  // cuts before k: cuts[..<low]
            while low < high {
                let mid = (low + high) / 2
                if cuts[mid] < k { low = mid + 1 } else { high = mid }
            }
            let c = low > 0 ? cuts[low - 1] : 0
            return try tokensBefore(c) + encodeOrdinary(String(decoding: utf8[c..<k], as: UTF8.self)).count
        }
        func isBoundary(_ k: Int) -> Bool { k >= utf8.count || utf8[k] & 0xC0 != 0x80 }
        var index = min(crossing + 2, pieces.count - 1)
        while index >= 0 {
            let piece = pieces[index].range
            if piece.count > 4096 {
                var low = piece.lowerBound, high = piece.upperBound  // answer in [low, high]
                while low < high {
                    var mid = (low + high + 1) / 2
                    while mid > low, !isBoundary(mid) { mid -= 1 }
                    if mid == low { break }
                    if try count(mid) <= maxTokens { low = mid } else { high = mid - 1 }
                }
                if low > piece.lowerBound { return low }
            } else {
                var k = piece.upperBound
                while k > piece.lowerBound {
                    if isBoundary(k), try count(k) <= maxTokens { return k }
                    k -= 1
                }
            }
            index -= 1
        }
        return 0
    }

    /// Consecutive chunks of at most `maxTokens` tokens each (as ordinary text), cut on character
    /// boundaries; with `overlap` > 0 each chunk after the first starts where the previous chunk's
    /// last `overlap` tokens begin (moved back to a character boundary). Byte ranges into the UTF-8.
    /// With a ``normalizer``, the ranges are in `normalize(text)`.
    /// - Throws: ``EncodingError/invalidBudget(_:)`` unless `maxTokens` ≥ 1 and 0 ≤ `overlap` < `maxTokens`.
    public func chunks(_ text: String, maxTokens: Int, overlap: Int = 0) throws(EncodingError) -> [Range<Int>] {
        guard maxTokens > 0, overlap >= 0, overlap < maxTokens else {
            throw .invalidBudget("chunks need maxTokens ≥ 1 and 0 ≤ overlap < maxTokens (got \(maxTokens) and \(overlap))")
        }
        try checkBudgetNormalizer()
        let utf8 = Array(normalize(text).utf8)
        var ranges = [Range<Int>]()
        var start = 0
        while start < utf8.count {
            let rest = String(decoding: utf8[start...], as: UTF8.self)
            var length = try prefixLength(rest, maxTokens: maxTokens)
            if length == 0 {  // one character needs more tokens than allowed: take it alone
                length = 1
                while start + length < utf8.count, utf8[start + length] & 0xC0 == 0x80 { length += 1 }
            }
            ranges.append(start..<(start + length))
            if start + length >= utf8.count { break }
            var next = start + length
            if overlap > 0 {
                let ids = try encodeOrdinary(String(decoding: utf8[start..<(start + length)], as: UTF8.self))
                let keep = ids.suffix(overlap).reduce(0) { $0 + (tokenBytes($1)?.count ?? 0) }
                var back = start + length - keep
                while back > start, utf8[back] & 0xC0 == 0x80 { back -= 1 }
                if back > start { next = back }
            }
            start = next
        }
        return ranges
    }
}

extension Encoding {
    /// The number of tokens ``encodeOrdinary(_:)`` gives for `text` when it is at most `limit`, or
    /// nil when it is more: "is this within N tokens?" without encoding everything. Pieces are
    /// merged in order and counting stops at the first piece that goes over the limit.
    /// - Complexity: O(length of the prefix that holds `limit` tokens, plus one piece).
    public func countTokens(_ text: String, limit: Int) throws(EncodingError) -> Int? {
        guard limit >= 0 else { return nil }
        if huggingFace != nil {
            // Added tokens and merges-list BPE: the whole encoding.
            let count = try encodeOrdinary(text).count
            return count <= limit ? count : nil
        }
        return try Encoding.withUTF8(normalize(text)) { buffer throws(EncodingError) -> Int? in
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
    func checkBudgetNormalizer() throws(EncodingError) {
        if let normalizer, !normalizer.isIdempotent {
            throw .invalidBudget("truncating and chunking need a normaliser that leaves normal text alone; \(name)'s (\(normalizer)) does not")
        }
    }
}
