/// What a Hugging Face `tokenizer.json` adds to an ``Encoding``: merging by the merges list, its
/// added tokens, and its normaliser run between them, as Hugging Face tokenizers does.
///
/// Order, as in `tokenizers` 0.23 (`AddedVocabulary`): the added tokens not marked `normalized`
/// are found in the raw text first, leftmost and longest (a `single_word` one only where no word
/// character touches it; `lstrip`/`rstrip` ones take the whitespace beside them); each stretch
/// between them is normalised on its own; in it, the `normalized` added tokens are found the same
/// way; the rest is pre-tokenized and merged. Special-token text follows the encoding's policy
/// (allowed: its control token; disallowed: an error; otherwise plain text, as Hugging Face's
/// `encode_special_tokens`); an added token not marked special is part of the vocabulary and always
/// its token. Hugging Face's `encode` treats every added token as allowed: `allowedSpecial: .all`
/// gives its ids.
///
/// Positions (pieces, offsets) index the *normalised text*: the added tokens' text as it is, and
/// each stretch between them normalised (``normalize(_:)``).
///
/// A class: its per-piece closures then hold one reference, not a copy of every field.
final class HuggingFacePipeline: Sendable {
    /// The merges-list merger; nil only when `mergesByRank`.
    let merger: MergeListMerger?
    /// Whether the encoding's rank merger gives the merges list's tokens (checked at load:
    /// ``HuggingFaceTokenizerFile/isTiktokenEquivalent``), so pieces go to it instead.
    let mergesByRank: Bool
    let normalizer: Normalizer?
    /// Added tokens not marked special: text and id (decoded as their text).
    let addedTokens: [(text: String, id: Rank)]
    /// Their ids.
    let addedIDs: Set<Rank>
    let postProcessor: PostProcessor
    /// Added tokens matched in the raw text, and in the normalised text.
    private let raw: AddedTokenMatcher
    private let normalized: AddedTokenMatcher

    init(file: HuggingFaceTokenizerFile) {
        merger = file.merger
        mergesByRank = file.isTiktokenEquivalent
        normalizer = file.normalizer
        postProcessor = file.postProcessor
        // Byte-keyed: contents are compared as Hugging Face compares them, and hashing them as
        // Swift Strings (canonical equivalence) would cost most of loading a file of many.
        var plain = [CodePointKey: Rank]()
        for token in file.addedTokens where !token.special { plain[CodePointKey(token.content)] = token.id }
        addedTokens = plain.map { ($0.key.text, $0.value) }
        addedIDs = Set(plain.values)
        let specialOrder = SpecialTokenMatcher(file.specialTokens).names  // the order of Encoding.specials
        raw = AddedTokenMatcher(file.addedTokens.filter { !$0.normalized }, specialOrder: specialOrder)
        // A `normalized` token is looked for as the normaliser writes its text (`<Lower>` as `<lower>`).
        normalized = AddedTokenMatcher(file.addedTokens.filter(\.normalized), specialOrder: specialOrder,
                                       matchText: { file.normalizer?.normalize($0) ?? $0 })
    }

    /// The text whose offsets the encoding reports: added tokens as they are, special or not (as
    /// Hugging Face cuts them), the stretches between them normalised.
    func normalize(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let normalizer else { return nil }
        var output = [UInt8]()
        var changed = false
        try? raw.split(text, allowed: nil, disallowed: nil, everySpecialAllowed: true) { range, token in
            let part = UnsafeBufferPointer(rebasing: text[range])
            if token == nil, let normal = normalizer.normalize(utf8: part) {
                output += normal
                changed = true
            } else {
                output += part
            }
        }
        return changed ? output : nil
    }

    /// Encodes `text` into `output`, reporting pieces with ranges in the normalised text.
    func encode<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, encoding: Encoding, allowed: [Bool]?, disallowed: [Bool]?,
                                 into output: inout [Rank], pieces: inout Sink) throws(TokenEncodingError) {
        // Asked once per call, for the text and for each of its normalised parts.
        let lend = mergesByRank && (text.count >= PieceCachePool.minimumText || encoding.pieceCaches.lendsToSmallText())
        let cache = Cache(mergesByRank: mergesByRank, lend: lend, pool: encoding.pieceCaches, textLength: text.count)
        defer { cache?.giveBack(to: encoding.pieceCaches) }
        var shift = 0  // normalised position minus raw position
        try raw.split(text, allowed: allowed, disallowed: disallowed) { (range, token) throws(TokenEncodingError) in
            if let token {
                output.append(token)
                pieces.piece((range.lowerBound + shift)..<(range.upperBound + shift), tokenEnd: output.count, isSpecial: true)
                return
            }
            guard let normal = normalizer?.normalize(utf8: UnsafeBufferPointer(rebasing: text[range])) else {
                return try encodeNormal(text, range, shift: shift, encoding: encoding, allowed: allowed, disallowed: disallowed,
                                        cache: cache, into: &output, pieces: &pieces)
            }
            let position = range.lowerBound + shift
            try normal.withUnsafeBufferPointer { buffer throws(TokenEncodingError) in
                let own = Cache(mergesByRank: mergesByRank, lend: lend, pool: encoding.pieceCaches, textLength: buffer.count)
                defer { own?.giveBack(to: encoding.pieceCaches) }
                try encodeNormal(buffer, 0..<buffer.count, shift: position, encoding: encoding, allowed: allowed,
                                 disallowed: disallowed, cache: own, into: &output, pieces: &pieces)
            }
            shift += normal.count - range.count
        }
    }

    /// A normalised stretch `range` of `buffer` (`shift` from its place in the normalised text):
    /// its `normalized` added tokens, then pieces and merges. `cache` is for `buffer`.
    private func encodeNormal<Sink: PieceSink>(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, shift: Int,
                                               encoding: Encoding, allowed: [Bool]?, disallowed: [Bool]?,
                                               cache: Cache?, into output: inout [Rank],
                                               pieces: inout Sink) throws(TokenEncodingError) {
        let stretch = UnsafeBufferPointer(rebasing: buffer[range])
        try normalized.split(stretch, allowed: allowed, disallowed: disallowed) { (part, token) throws(TokenEncodingError) in
            let absolute = (range.lowerBound + part.lowerBound)..<(range.lowerBound + part.upperBound)
            if let token {
                output.append(token)
                pieces.piece((absolute.lowerBound + shift)..<(absolute.upperBound + shift), tokenEnd: output.count, isSpecial: true)
            } else {
                try encodePieces(buffer, absolute, shift: shift, encoding: encoding, cache: cache, into: &output, pieces: &pieces)
            }
        }
    }

    private func encodePieces<Sink: PieceSink>(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, shift: Int,
                                               encoding: Encoding, cache: Cache?, into output: inout [Rank],
                                               pieces: inout Sink) throws(TokenEncodingError) {
        guard !range.isEmpty, let base = buffer.baseAddress else { return }
        if mergesByRank, let byte = encoding.vocabulary.firstMissingByte(in: UnsafeBufferPointer(rebasing: buffer[range])) {
            throw .noTokenForByte(byte)
        }
        var spaced = [UInt8]()
        // Hoisted: read once per stretch, not retained and released per piece.
        let rankMerger = encoding.merger, byRank = cache?.byRank, byList = cache?.byList, listMerger = merger
        let mergesByRank = self.mergesByRank
        /// The tokens of one piece (a range of `buffer`), with a space before it when `prefixSpace`.
        func merge(_ piece: Range<Int>, prefixSpace: Bool) throws(TokenEncodingError) {
            if prefixSpace {
                spaced.removeAll(keepingCapacity: true)
                spaced.append(0x20)
                spaced += buffer[piece]
                try spaced.withUnsafeBufferPointer { bytes throws(TokenEncodingError) in
                    // The stretch's bytes were checked above: no second scan for bytes without a token.
                    if mergesByRank {
                        rankMerger.appendTokens(bytes.baseAddress!, bytes.count, into: &output)
                    } else {
                        try appendTokens(bytes.baseAddress!, bytes.count, encoding: encoding, into: &output)
                    }
                }
            } else if mergesByRank {
                if let byRank {
                    byRank.encode(base, start: piece.lowerBound, length: piece.count, merger: rankMerger, into: &output)
                } else {
                    rankMerger.appendTokens(base + piece.lowerBound, piece.count, into: &output)
                }
            } else if let byList, let listMerger {
                try byList.appendTokens(base, start: piece.lowerBound, length: piece.count, merger: listMerger, into: &output)
            } else {
                try appendTokens(base + piece.lowerBound, piece.count, encoding: encoding, into: &output)
            }
            pieces.piece((piece.lowerBound + shift)..<(piece.upperBound + shift), tokenEnd: output.count, isSpecial: false)
        }
        /// ``merge(_:prefixSpace:)`` of a piece without a prefix space by the rank merger, inlined
        /// into the streaming loops below, as the tiktoken path has it.
        @inline(__always) func mergeByRank(_ piece: Range<Int>) {
            if let byRank {
                byRank.encode(base, start: piece.lowerBound, length: piece.count, merger: rankMerger, into: &output)
            } else {
                rankMerger.appendTokens(base + piece.lowerBound, piece.count, into: &output)
            }
            pieces.piece((piece.lowerBound + shift)..<(piece.upperBound + shift), tokenEnd: output.count, isSpecial: false)
        }
        let steps = encoding.preTokenizer.steps ?? []
        do {
            // The common pipelines stream their pieces (a scanner's, no step, or one Split or
            // ByteLevel that keeps its parts as they are); others gather each step's pieces first.
            if encoding.preTokenizer.scanner != nil {
                let start = range.lowerBound
                return try encoding.preTokenizer.forEachPiece(in: UnsafeBufferPointer(rebasing: buffer[range])) { local in
                    let piece = (local.lowerBound + start)..<(local.upperBound + start)
                    if mergesByRank { mergeByRank(piece) } else { try merge(piece, prefixSpace: false) }
                }
            }
            if steps.isEmpty { return try merge(range, prefixSpace: false) }
            if steps.count == 1, mergesByRank, try steps[0].streamPieces(buffer, range, { piece in mergeByRank(piece) }) { return }
            if steps.count == 1, try steps[0].streamPieces(buffer, range, { piece in try merge(piece, prefixSpace: false) }) { return }
            let parts = try encoding.preTokenizer.stepPiecesWithPrefixSpace(UnsafeBufferPointer(rebasing: buffer[range]), steps)
            for (piece, prefixSpace) in parts {
                try merge((range.lowerBound + piece.lowerBound)..<(range.lowerBound + piece.upperBound), prefixSpace: prefixSpace)
            }
        } catch let error as TokenEncodingError {
            throw error
        } catch {
            throw .patternFailed(String(describing: error))
        }
    }
}

extension HuggingFacePipeline {
    /// The tokens of one piece (which may hold bytes without a token: an error), by the merger in use.
    func appendTokens(_ piece: UnsafePointer<UInt8>, _ count: Int, encoding: Encoding,
                      into output: inout [Rank]) throws(TokenEncodingError) {
        if let merger, !mergesByRank { return try merger.appendTokens(piece, count, into: &output) }
        if let byte = encoding.vocabulary.firstMissingByte(in: UnsafeBufferPointer(start: piece, count: count)) {
            throw .noTokenForByte(byte)
        }
        encoding.merger.appendTokens(piece, count, into: &output)
    }

    /// The piece cache of one text, for the merger in use: by rank, one the encoding's pool lends
    /// when `lend` (as to tiktoken's loop: from ``PieceCachePool/minimumText`` bytes, and for
    /// shorter texts while they repeat); by the merges list, a cache of this text alone, from
    /// ``MergeListMerger/Cache/minimumText`` bytes. Nil when the text goes without.
    struct Cache {
        let byRank: PieceCache?
        let byList: MergeListMerger.Cache?
        let textLength: Int

        init?(mergesByRank: Bool, lend: Bool, pool: PieceCachePool, textLength: Int) {
            if mergesByRank {
                guard lend else { return nil }
                (byRank, byList) = (pool.borrow(textLength: textLength), nil)
            } else {
                guard textLength >= MergeListMerger.Cache.minimumText else { return nil }
                (byRank, byList) = (nil, MergeListMerger.Cache())
            }
            self.textLength = textLength
        }

        func giveBack(to pool: PieceCachePool) {
            if let byRank { pool.giveBack(byRank, textLength: textLength) }
            byList?.deallocate()
        }
    }
}

/// Added tokens of one kind (raw or normalised) and how Hugging Face finds them in a text.
struct AddedTokenMatcher: Sendable {
    private let matcher: SpecialTokenMatcher
    /// By the matcher's index.
    private let tokens: [HuggingFaceTokenizerFile.AddedToken]
    /// By the matcher's index: the index in the encoding's special tokens, -1 when not special.
    private let specialIndex: [Int]

    /// - Parameter matchText: the text to look for, from a token's content.
    init(_ tokens: [HuggingFaceTokenizerFile.AddedToken], specialOrder: [String], matchText: (String) -> String = { $0 }) {
        // Two tokens whose texts normalise alike: the first is found, as in Hugging Face's trie.
        var seen = Set<CodePointKey>()
        var entries = [(text: String, token: HuggingFaceTokenizerFile.AddedToken)]()
        for token in tokens {
            let text = matchText(token.content)
            if !text.isEmpty, seen.insert(CodePointKey(text)).inserted { entries.append((text, token)) }
        }
        entries.sort { SpecialTokenMatcher.precedes(($0.text, $0.token.id), ($1.text, $1.token.id)) }
        matcher = SpecialTokenMatcher(sorted: entries.map { ($0.text, $0.token.id) })
        self.tokens = entries.map(\.token)
        var indexOf = [CodePointKey: Int](minimumCapacity: specialOrder.count)
        for (index, name) in specialOrder.enumerated() { indexOf[CodePointKey(name)] = index }
        specialIndex = self.tokens.map { $0.special ? indexOf[CodePointKey($0.content)]! : -1 }
    }

    /// Calls `body` with each stretch of `text` in order: an added token's range (with `lstrip`
    /// and `rstrip` whitespace) and id, or a range between tokens and nil. As `tokenizers`'
    /// `find_matches`: non-overlapping leftmost-longest matches, left to right; a `single_word`
    /// token next to a word character, or special-token text that is not allowed, is no token.
    /// - Throws: ``TokenEncodingError/disallowedSpecialToken(_:byteOffset:)``, or what `body` throws.
    /// - Complexity: O(n) plus the whitespace `lstrip` looks back over.
    func split(_ text: UnsafeBufferPointer<UInt8>, allowed: [Bool]?, disallowed: [Bool]?, everySpecialAllowed: Bool = false,
               _ body: (Range<Int>, Rank?) throws(TokenEncodingError) -> Void) throws(TokenEncodingError) {
        var covered = 0
        var from = 0
        while !matcher.isEmpty, from < text.count, let match = matcher.firstMatch(in: text, from: from) {
            from = match.range.upperBound
            let token = tokens[match.index]
            let special = specialIndex[match.index]
            if special >= 0 {
                if let disallowed, disallowed[special] {
                    throw .disallowedSpecialToken(token.content, byteOffset: match.range.lowerBound)
                }
                if !everySpecialAllowed, allowed?[special] != true { continue }
            }
            if token.singleWord,
               UnicodeText.isWordCharacter(before: match.range.lowerBound, in: text)
                || UnicodeText.isWordCharacter(at: match.range.upperBound, in: text) {
                continue
            }
            var start = match.range.lowerBound, end = match.range.upperBound
            if token.lstrip { start = UnicodeText.whitespaceStart(before: start, in: text) }
            if token.rstrip { end = UnicodeText.whitespaceEnd(from: end, in: text) }
            start = max(start, covered)  // lstrip never takes back what the token before took
            if covered < start { try body(covered..<start, nil) }
            try body(start..<end, token.id)
            covered = end
            from = max(from, end)
        }
        if covered < text.count { try body(covered..<text.count, nil) }
    }
}
