/// What a Hugging Face `tokenizer.json` adds to an ``Encoding``: merging by the merges list, and
/// its added tokens, cut out of the text before pre-tokenizing as Hugging Face tokenizers does.
///
/// Order, as in `tokenizers` 0.23 (`AddedVocabulary`): the added tokens not marked `normalized`
/// are found in the text first, leftmost and longest; in the text between them, the `normalized`
/// ones; the rest is pre-tokenized and merged. Special-token text follows the encoding's policy
/// (allowed: its control token; disallowed: an error; otherwise plain text); an added token not
/// marked special is part of the vocabulary and always its token. Hugging Face's `encode` treats
/// every added token as allowed: `allowedSpecial: .all` gives its ids.
struct HuggingFacePipeline: Sendable {
    let merger: MergeListMerger
    /// Added tokens not marked special (decoded as their text).
    let addedTokens: [String: Rank]
    /// Their ids.
    let addedIDs: Set<Rank>
    /// Special tokens and `normalized: false` added tokens.
    private let raw: SpecialTokenMatcher
    /// For each of `raw`'s names: its index in the encoding's special tokens, -1 when not special.
    private let rawSpecialIndex: [Int]
    /// `normalized: true` added tokens.
    private let normalized: SpecialTokenMatcher

    init(file: HuggingFaceTokenizerFile) {
        merger = file.merger
        addedTokens = file.addedTokens.merging(file.normalizedAddedTokens) { first, _ in first }
        addedIDs = Set(addedTokens.values)
        raw = SpecialTokenMatcher(file.specialTokens.merging(file.addedTokens) { first, _ in first })
        let specialOrder = SpecialTokenMatcher(file.specialTokens).names  // the order of Encoding.specials
        let indexOf = Dictionary(uniqueKeysWithValues: specialOrder.enumerated().map { ($0.element, $0.offset) })
        rawSpecialIndex = raw.names.map { file.specialTokens[$0] != nil ? indexOf[$0]! : -1 }
        normalized = SpecialTokenMatcher(file.normalizedAddedTokens)
    }

    /// Encodes normal text (the encoding's normaliser already ran) into `output`.
    func encode<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, encoding: Encoding, allowed: [Bool]?, disallowed: [Bool]?,
                                 into output: inout [Rank], pieces: inout Sink) throws(EncodingError) {
        let cache = text.count >= 4096 ? MergeListMerger.Cache() : nil
        defer { cache?.deallocate() }
        var plainStart = 0
        var searchFrom = 0
        while true {
            var token: (range: Range<Int>, id: Rank)?
            while let match = raw.firstMatch(in: text, from: searchFrom) {
                let special = rawSpecialIndex[match.index]
                if special >= 0, let disallowed, disallowed[special] {
                    throw .disallowedSpecialToken(raw.names[match.index], byteOffset: match.range.lowerBound)
                }
                if special < 0 || allowed?[special] == true {
                    token = (match.range, raw.ids[match.index])
                    break
                }
                searchFrom = match.range.lowerBound + 1
            }
            try encodePlain(text, plainStart..<(token?.range.lowerBound ?? text.count), encoding: encoding, cache: cache,
                            into: &output, pieces: &pieces)
            guard let token else { return }
            output.append(token.id)
            pieces.piece(token.range, tokenEnd: output.count, isSpecial: true)
            plainStart = token.range.upperBound
            searchFrom = plainStart
        }
    }

    /// Text between added tokens: the `normalized` added tokens, then pieces and merges.
    private func encodePlain<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, encoding: Encoding,
                                              cache: MergeListMerger.Cache?, into output: inout [Rank],
                                              pieces: inout Sink) throws(EncodingError) {
        var start = range.lowerBound
        while start < range.upperBound {
            let rest = UnsafeBufferPointer(rebasing: text[start..<range.upperBound])
            let match = normalized.isEmpty ? nil : normalized.firstMatch(in: rest, from: 0)
            let end = match.map { start + $0.range.lowerBound } ?? range.upperBound
            try encodePieces(text, start..<end, encoding: encoding, cache: cache, into: &output, pieces: &pieces)
            guard let match else { return }
            output.append(normalized.ids[match.index])
            pieces.piece((start + match.range.lowerBound)..<(start + match.range.upperBound), tokenEnd: output.count, isSpecial: true)
            start += match.range.upperBound
        }
    }

    private func encodePieces<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, encoding: Encoding,
                                               cache: MergeListMerger.Cache?, into output: inout [Rank],
                                               pieces: inout Sink) throws(EncodingError) {
        guard !range.isEmpty, let base = text.baseAddress else { return }
        let segment = UnsafeBufferPointer(rebasing: text[range])
        do {
            try encoding.preTokenizer.forEachPiece(in: segment) { piece in
                if let cache {
                    try cache.appendTokens(base, start: range.lowerBound + piece.lowerBound, length: piece.count, merger: merger,
                                           into: &output)
                } else {
                    try merger.appendTokens(base + range.lowerBound + piece.lowerBound, piece.count, into: &output)
                }
                pieces.piece((range.lowerBound + piece.lowerBound)..<(range.lowerBound + piece.upperBound),
                             tokenEnd: output.count, isSpecial: false)
            }
        } catch let error as EncodingError {
            throw error
        } catch {
            throw .patternFailed(String(describing: error))
        }
    }
}
