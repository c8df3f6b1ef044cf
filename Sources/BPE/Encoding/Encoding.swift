/// A byte-level BPE encoding: a vocabulary, a pre-tokenizer pattern and special tokens.
///
/// Text flows one way: bytes → (``Normalizer``) → pieces (``PreTokenizer``) → byte-pair merge per
/// piece → token ids; decoding maps ids back to bytes. Token ids equal the reference's for every
/// input (Python tiktoken 0.14 for OpenAI's encodings, the vendor's tokenizer for the others).
///
/// An `Encoding` is immutable and `Sendable`: share one instance across threads and tasks.
///
/// ```swift
/// let encoding = try Encoding.named("o200k_base")
/// let ids = try encoding.encode("Hello, world!")        // [13225, 11, 2375, 0]
/// let text = try encoding.decode(ids)                     // "Hello, world!"
/// ```
public final class Encoding: Sendable {
    /// The encoding's name (`o200k_base`, or the name given to a custom encoding).
    public let name: String
    /// The ordinary tokens.
    public let vocabulary: Vocabulary
    /// Special tokens by their text.
    public let specialTokens: [String: Rank]
    /// What the text goes through before pre-tokenizing (nil for none, as in OpenAI's encodings).
    /// Offsets, pieces and truncation lengths index the normalised text (``normalize(_:)``).
    public let normalizer: Normalizer?
    /// The pre-tokenizer (its ``PreTokenizer/pattern`` is tiktoken's spelling).
    public let preTokenizer: PreTokenizer
    /// One more than the largest token id, ordinary or special (tiktoken's `n_vocab`).
    public let vocabularySize: Int
    /// What ``addingSpecialTokens(_:)`` puts around a text's tokens (Hugging Face's
    /// `add_special_tokens=True`, Llama's and mistral-common's `bos=True`); encoding never adds it.
    public let postProcessor: PostProcessor

    /// The merge stage: byte-pair merging by the vocabulary's ranks.
    let merger: BytePairMerger
    /// A Hugging Face `tokenizer.json`'s merge stage and added tokens, which replace `merger`.
    let huggingFace: HuggingFacePipeline?
    let specials: SpecialTokenMatcher
    /// What encode calls learnt about pieces, lent to one call at a time.
    let pieceCaches = PieceCachePool()
    private let specialBytesByID: [Rank: [UInt8]]
    /// `resolve`'s answer for every special token disallowed (the default), built once: a call
    /// then costs no hashing of token names (o200k_harmony has over a thousand).
    private let everySpecial: [Bool]?

    /// Builds an encoding from parts. Text that no alternative of `pattern` matches becomes what
    /// `unmatchedText` says.
    /// - Throws: ``EncodingSetupError`` when the pattern does not compile or a special token's id is
    ///   also an ordinary token's rank.
    public convenience init(name: String, vocabulary: Vocabulary, pattern: String, specialTokens: [String: Rank],
                            normalizer: Normalizer? = nil, postProcessor: PostProcessor = .none,
                            unmatchedText: PreTokenizer.UnmatchedText = .ownPiece) throws(EncodingSetupError) {
        try self.init(name: name, vocabulary: vocabulary, preTokenizer: Encoding.preTokenizer(pattern, unmatchedText: unmatchedText),
                      specialTokens: specialTokens,
                      normalizer: normalizer, huggingFace: nil, postProcessor: postProcessor)
    }

    /// The pre-tokenizer of `pattern`, or ``EncodingSetupError/badPattern(_:)``.
    static func preTokenizer(_ pattern: String, unmatchedText: PreTokenizer.UnmatchedText = .ownPiece) throws(EncodingSetupError) -> PreTokenizer {
        do {
            return try PreTokenizer(pattern: pattern, unmatchedText: unmatchedText)
        } catch {
            throw .badPattern(error.description)
        }
    }

    /// The designated initializer; `huggingFace` replaces the merge stage and adds the added tokens.
    init(name: String, vocabulary: Vocabulary, preTokenizer: PreTokenizer, specialTokens: [String: Rank],
         normalizer: Normalizer?, huggingFace: HuggingFacePipeline?, postProcessor: PostProcessor = .none) throws(EncodingSetupError) {
        self.name = name
        self.vocabulary = vocabulary
        self.specialTokens = specialTokens
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.huggingFace = huggingFace
        self.postProcessor = huggingFace?.postProcessor ?? postProcessor
        merger = vocabulary.merger
        var decodeMap = [Rank: [UInt8]]()
        var collisions = [(String, Rank)]()
        for (text, id) in specialTokens {
            if text.isEmpty { throw .emptySpecialToken(id) }
            if vocabulary.table.length(of: id) > 0 { collisions.append((text, id)) }
            // Several names may share an id (o200k_harmony's 200018); decode to the shortest name,
            // the first in byte order among equally short ones.
            let bytes = Array(text.utf8)
            if let existing = decodeMap[id],
               existing.count < bytes.count || (existing.count == bytes.count && !bytes.lexicographicallyPrecedes(existing)) { continue }
            decodeMap[id] = bytes
        }
        // The first by id and text, whatever the dictionary's order.
        if let (text, id) = collisions.min(by: SpecialTokenMatcher.precedes) { throw .specialTokenCollides(text, id) }
        for (text, id) in huggingFace?.addedTokens ?? [] where decodeMap[id] == nil {
            if vocabulary.table.length(of: id) > 0 { throw .specialTokenCollides(text, id) }
            decodeMap[id] = Array(text.utf8)
        }
        specialBytesByID = decodeMap
        specials = SpecialTokenMatcher(specialTokens)
        everySpecial = specialTokens.isEmpty ? nil : [Bool](repeating: true, count: specials.names.count)
        vocabularySize = max(vocabulary.rankLimit, Int(decodeMap.keys.max().map { $0 + 1 } ?? 0))
    }

    // MARK: - Encoding

    /// Encodes `text` treating special-token text as plain text.
    /// - Complexity: O(n) for the built-in patterns.
    public func encodeOrdinary(_ text: String) throws(TokenEncodingError) -> [Rank] {
        try Encoding.withUTF8(text) { buffer throws(TokenEncodingError) in
            var output = Encoding.makeOutput(forBytes: buffer.count)
            try encodeCore(buffer, allowed: nil, disallowed: nil, into: &output)
            return output
        }
    }

    /// Encodes `text` with tiktoken's special-token rules.
    ///
    /// Special-token text in `allowedSpecial` becomes its control token. Text of a token in
    /// `disallowedSpecial` (by default every special token not allowed) is an error, so untrusted
    /// text can never smuggle control tokens in. A special token in neither set is plain text.
    /// - Throws: ``TokenEncodingError/disallowedSpecialToken(_:byteOffset:)`` for the first disallowed one.
    public func encode(_ text: String, allowedSpecial: SpecialTokenSet = .none,
                       disallowedSpecial: SpecialTokenSet = .all) throws(TokenEncodingError) -> [Rank] {
        try Encoding.withUTF8(text) { buffer throws(TokenEncodingError) in
            try encode(utf8: buffer, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial)
        }
    }

    /// ``encode(_:allowedSpecial:disallowedSpecial:)`` on UTF-8 bytes.
    /// - Precondition: `utf8` is valid UTF-8 (use ``encode(bytes:disallowedSpecial:)`` for arbitrary bytes).
    public func encode(utf8: UnsafeBufferPointer<UInt8>, allowedSpecial: SpecialTokenSet = .none,
                       disallowedSpecial: SpecialTokenSet = .all) throws(TokenEncodingError) -> [Rank] {
        var output = Encoding.makeOutput(forBytes: utf8.count)
        let (allowed, disallowed) = resolve(allowedSpecial, disallowedSpecial)
        try encodeCore(utf8, allowed: allowed, disallowed: disallowed, into: &output)
        return output
    }

    /// Encodes arbitrary bytes, which may be invalid UTF-8, as tiktoken's `_encode_bytes` does:
    /// valid UTF-8 is encoded as ordinary text; otherwise the valid prefix is encoded, and its last
    /// piece (with any all-whitespace tokens before it) plus every byte from the first invalid one on
    /// are merged as one piece. `decodeBytes` returns the input exactly (with a ``normalizer``: the
    /// valid prefix normalised, the rest exactly).
    ///
    /// Special-token text never becomes a control token here. By default it is refused as in
    /// ``encode(_:allowedSpecial:disallowedSpecial:)``; pass `disallowedSpecial: .none` for
    /// tiktoken's `_encode_bytes`, which encodes it as plain text.
    public func encode(bytes: some Collection<UInt8>, disallowedSpecial: SpecialTokenSet = .all) throws(TokenEncodingError) -> [Rank] {
        let result: Result<[Rank], TokenEncodingError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(TokenEncodingError) in try encodeRaw(buffer, disallowedSpecial: disallowedSpecial) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(TokenEncodingError) in
            try encodeRaw(buffer, disallowedSpecial: disallowedSpecial)
        }
    }

    /// The number of tokens ``encodeOrdinary(_:)`` returns.
    public func countTokens(_ text: String) throws(TokenEncodingError) -> Int {
        try encodeOrdinary(text).count
    }

    // MARK: - Decoding

    /// Whether `token` is one of the special tokens' ids (which may lie inside the range of
    /// ordinary ranks, as p50k_base's and r50k_base's `<|endoftext|>` 50256 does).
    public func isSpecialToken(_ token: Rank) -> Bool {
        specialBytesByID[token] != nil && huggingFace?.addedIDs.contains(token) != true
    }

    /// The bytes of a token id (ordinary or special), or `nil` when the id is unknown.
    public func tokenBytes(_ token: Rank) -> [UInt8]? {
        vocabulary.table.withBytes(of: token) { Array($0) } ?? specialBytesByID[token]
            ?? (vocabulary.emptyTokenRanks.contains(token) ? [] : nil)
    }

    /// The bytes the tokens stand for. Decoding to bytes never fails for known ids, even where
    /// a token is only part of a UTF-8 character.
    /// - Parameters:
    ///   - tokens: the ids.
    ///   - specialTokens: what special tokens' ids give: their text (the default), nothing, or an error.
    /// - Throws: ``TokenDecodingError/unknownToken(_:position:)``, or ``TokenDecodingError/specialToken(_:position:)``
    ///   under ``SpecialTokenDecoding/refuse``.
    public func decodeBytes(_ tokens: some Sequence<Rank>, specialTokens: SpecialTokenDecoding = .keep) throws(TokenDecodingError) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(tokens.underestimatedCount * 4)
        for (position, token) in tokens.enumerated() {
            let appended: Void? = vocabulary.table.withBytes(of: token) { output.append(contentsOf: $0) }
            if appended != nil { continue }
            guard let special = specialBytesByID[token] else {
                if vocabulary.emptyTokenRanks.contains(token) { continue }
                throw .unknownToken(token, position: position)
            }
            if specialTokens != .keep, isSpecialToken(token) {
                if specialTokens == .refuse { throw .specialToken(token, position: position) }
                continue
            }
            output.append(contentsOf: special)
        }
        return output
    }

    /// The text the tokens stand for.
    /// - Throws: ``TokenDecodingError/invalidUTF8(byteOffset:)`` when the bytes are not valid UTF-8
    ///   (for example, a sequence cut inside an emoji), or as ``decodeBytes(_:specialTokens:)``.
    public func decode(_ tokens: some Sequence<Rank>, specialTokens: SpecialTokenDecoding = .keep) throws(TokenDecodingError) -> String {
        let bytes = try decodeBytes(tokens, specialTokens: specialTokens)
        let valid = bytes.withUnsafeBufferPointer { UTF8Validation.validPrefixLength($0) }
        guard valid == bytes.count else { throw .invalidUTF8(byteOffset: valid) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text the tokens stand for, with each invalid UTF-8 sequence replaced by U+FFFD.
    /// - Throws: as ``decodeBytes(_:specialTokens:)``.
    public func decodeLossy(_ tokens: some Sequence<Rank>, specialTokens: SpecialTokenDecoding = .keep) throws(TokenDecodingError) -> String {
        String(decoding: try decodeBytes(tokens, specialTokens: specialTokens), as: UTF8.self)
    }

    /// `text` as this encoding's normaliser leaves it (`text` itself when there is none): the text
    /// whose UTF-8 offsets the position-reporting calls return.
    public func normalize(_ text: String) -> String {
        guard let huggingFace else { return normalizer?.normalize(text) ?? text }
        var text = text
        let normal = text.withUTF8 { huggingFace.normalize($0) }
        return normal.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// `ids` with what the caller asks to add around a text's tokens (``postProcessor``): what
    /// Hugging Face's `encode(text, add_special_tokens=True)` gives where `encode` gave `ids`.
    public func addingSpecialTokens(_ ids: [Rank]) -> [Rank] {
        postProcessor.apply(ids)
    }

    // MARK: - Core

    @inline(__always)
    static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(TokenEncodingError) -> R) throws(TokenEncodingError) -> R {
        var text = text
        let result: Result<R, TokenEncodingError> = text.withUTF8 { buffer in
            Result { () throws(TokenEncodingError) in try body(buffer) }
        }
        return try result.get()
    }

    /// The capacity to reserve for the tokens of `byteCount` bytes: room for one token per byte
    /// in a small text (no growth at all), half of the bytes in a large one (it grows if needed:
    /// at most one token in two bytes, as in locale data, tables, Chinese and most prose, needs no
    /// copy, and pages reserved but never written are never mapped).
    @inline(__always)
    static func outputCapacity(_ byteCount: Int) -> Int {
        byteCount <= 4096 ? byteCount + 1 : byteCount / 2 + 1
    }

    /// An empty output with ``outputCapacity(_:)`` for `byteCount` bytes; from 4 MiB of ids on, in
    /// huge pages where the kernel has them (``POSIX/adviseHugePages(within:count:)``): a first
    /// encode of a long text otherwise takes a page fault every 1,024 ids.
    static func makeOutput(forBytes byteCount: Int) -> [Rank] {
        var output = [Rank]()
        output.reserveCapacity(outputCapacity(byteCount))
        let capacity = output.capacity
        output.withUnsafeMutableBufferPointer {
            if let base = $0.baseAddress { adviseHugePages(base, capacity: capacity) }
        }
        return output
    }

    /// Advises an output's storage of `capacity` ids at `base` to huge pages from 4 MiB of ids on
    /// (smaller ones hold no whole huge page worth the call).
    static func adviseHugePages(_ base: UnsafeMutablePointer<Rank>, capacity: Int) {
        guard capacity >= 1 << 20 else { return }
        POSIX.adviseHugePages(within: base, count: capacity * MemoryLayout<Rank>.stride)
    }

    /// Indices (into `specials.names`) allowed, and disallowed, by a call; `nil` for none.
    func resolve(_ allowedSpecial: SpecialTokenSet, _ disallowedSpecial: SpecialTokenSet) -> (allowed: [Bool]?, disallowed: [Bool]?) {
        guard !specials.isEmpty else { return (nil, nil) }
        if case let .only(allowedSet) = allowedSpecial, allowedSet.isEmpty {
            // The common calls: nothing allowed, and everything or nothing disallowed.
            switch disallowedSpecial {
            case .all: return (nil, everySpecial)
            case let .only(set) where set.isEmpty: return (nil, nil)
            case .only: break
            }
        }
        let allowed = specials.names.map { allowedSpecial.contains($0) }
        let disallowed = zip(specials.names, allowed).map { name, isAllowed in
            switch disallowedSpecial {
            case .all: return !isAllowed
            case let .only(set): return set.contains(name)
            }
        }
        return (allowed.contains(true) ? allowed : nil, disallowed.contains(true) ? disallowed : nil)
    }

    /// tiktoken's core loop.
    @inline(__always)
    func encodeCore(_ text: UnsafeBufferPointer<UInt8>, allowed: [Bool]?, disallowed: [Bool]?,
                    into output: inout [Rank]) throws(TokenEncodingError) {
        var sink = NoPieceSink()
        try encodeCore(text, allowed: allowed, disallowed: disallowed, into: &output, pieces: &sink)
    }

    /// tiktoken's core loop, reporting each piece to `pieces` (a no-op sink compiles away).
    @inline(__always)
    func encodeCore<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, allowed: [Bool]?, disallowed: [Bool]?,
                                     into output: inout [Rank], pieces: inout Sink) throws(TokenEncodingError) {
        if huggingFace == nil, let normalizer, let normalized = normalizer.normalize(utf8: text) {
            // Ranges reported from here on index the normalised text (a tokenizer.json's pipeline
            // normalises between its added tokens itself).
            return try normalized.withUnsafeBufferPointer { buffer throws(TokenEncodingError) in
                try encodeNormal(buffer, allowed: allowed, disallowed: disallowed, into: &output, pieces: &pieces)
            }
        }
        try encodeNormal(text, allowed: allowed, disallowed: disallowed, into: &output, pieces: &pieces)
    }

    /// The loop for normal text: tiktoken's, or Hugging Face's for a `tokenizer.json`.
    @inline(__always)
    private func encodeNormal<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, allowed: [Bool]?, disallowed: [Bool]?,
                                               into output: inout [Rank], pieces: inout Sink) throws(TokenEncodingError) {
        if let huggingFace {
            return try huggingFace.encode(text, encoding: self, allowed: allowed, disallowed: disallowed, into: &output, pieces: &pieces)
        }
        try encodeNormalized(text, allowed: allowed, disallowed: disallowed, into: &output, pieces: &pieces)
    }

    /// tiktoken's core loop on text that is already normal.
    @inline(__always)
    private func encodeNormalized<Sink: PieceSink>(_ text: UnsafeBufferPointer<UInt8>, allowed: [Bool]?, disallowed: [Bool]?,
                                                   into output: inout [Rank], pieces: inout Sink) throws(TokenEncodingError) {
        var start = 0
        let cache = text.count >= PieceCachePool.minimumText || pieceCaches.lendsToSmallText()
            ? pieceCaches.borrow(textLength: text.count) : nil
        defer { if let cache { pieceCaches.giveBack(cache, textLength: text.count) } }
        while true {
            // The next allowed special token; a disallowed one before it is an error.
            var special: (range: Range<Int>, index: Int)?
            if allowed != nil || disallowed != nil {
                var searchFrom = start
                while let match = specials.firstMatch(in: text, from: searchFrom) {
                    if let disallowed, disallowed[match.index] {
                        throw .disallowedSpecialToken(specials.names[match.index], byteOffset: match.range.lowerBound)
                    }
                    if let allowed, allowed[match.index] {
                        special = match
                        break
                    }
                    searchFrom = match.range.lowerBound + 1
                }
            }
            let end = special?.range.lowerBound ?? text.count
            let segment = UnsafeBufferPointer(rebasing: text[start..<end])
            try encodeSegment(segment, offset: start, text: text, cache: cache, into: &output, pieces: &pieces)
            guard let special else { break }
            output.append(specials.ids[special.index])
            pieces.piece(special.range, tokenEnd: output.count, isSpecial: true)
            start = special.range.upperBound
        }
    }

    @inline(__always)
    private func encodeSegment<Sink: PieceSink>(_ segment: UnsafeBufferPointer<UInt8>, offset: Int,
                                                text: UnsafeBufferPointer<UInt8>, cache: PieceCache?, into output: inout [Rank],
                                                pieces: inout Sink) throws(TokenEncodingError) {
        guard let base = segment.baseAddress, !segment.isEmpty else { return }
        if let byte = vocabulary.firstMissingByte(in: segment) { throw .noTokenForByte(byte) }
        if !Sink.keepsPieces, let cache, preTokenizer.hasSafeCuts {
            return try encodeSegmentByRuns(segment, offset: offset, text: text, cache: cache, into: &output)
        }
        let merger = self.merger
        do {
            // No `output.count` per piece: only encode(bytes:) needs the last piece's token count,
            // and it encodes that piece again (a load of the count after each piece's appends
            // stood out in perf on random base64).
            try preTokenizer.forEachPiece(in: segment) { range in
                if let cache {
                    cache.appendPiece(text.baseAddress!, start: offset + range.lowerBound, length: range.count, merger: merger, into: &output)
                } else {
                    merger.appendTokens(base + range.lowerBound, range.count, into: &output)
                }
                // Built only for a sink that keeps it: no store per piece for `NoPieceSink`.
                pieces.piece(Range(uncheckedBounds: (offset &+ range.lowerBound, offset &+ range.upperBound)),
                             tokenEnd: output.count, isSpecial: false)
            }
        } catch {
            throw .patternFailed(String(describing: error))
        }
    }

    private func encodeRaw(_ bytes: UnsafeBufferPointer<UInt8>, disallowedSpecial: SpecialTokenSet) throws(TokenEncodingError) -> [Rank] {
        let validLength = UTF8Validation.validPrefixLength(bytes)
        if huggingFace == nil, let normalizer,
           let normalized = normalizer.normalize(utf8: UnsafeBufferPointer(rebasing: bytes[0..<validLength])) {
            // The valid prefix normalised, then the bytes from the first invalid one as they are.
            let whole = normalized + bytes[validLength...]
            return try whole.withUnsafeBufferPointer { buffer throws(TokenEncodingError) in
                try encodeRawNormalized(buffer, validLength: normalized.count, disallowedSpecial: disallowedSpecial)
            }
        }
        return try encodeRawNormalized(bytes, validLength: validLength, disallowedSpecial: disallowedSpecial)
    }

    /// ``encode(bytes:disallowedSpecial:)`` once the valid prefix (`validLength` bytes) is normal.
    private func encodeRawNormalized(_ bytes: UnsafeBufferPointer<UInt8>, validLength: Int,
                                     disallowedSpecial: SpecialTokenSet) throws(TokenEncodingError) -> [Rank] {
        if let huggingFace {
            // The valid prefix as text, then the bytes from the first invalid one as one piece.
            var output = try encode(utf8: UnsafeBufferPointer(rebasing: bytes[0..<validLength]), allowedSpecial: .none,
                                    disallowedSpecial: disallowedSpecial)
            if validLength < bytes.count {
                try huggingFace.appendTokens(bytes.baseAddress! + validLength, bytes.count - validLength, encoding: self, into: &output)
            }
            return output
        }
        if let disallowed = resolve(.none, disallowedSpecial).disallowed {
            var from = 0
            while let match = specials.firstMatch(in: bytes, from: from) {
                if disallowed[match.index] {
                    throw .disallowedSpecialToken(specials.names[match.index], byteOffset: match.range.lowerBound)
                }
                from = match.range.lowerBound + 1
            }
        }
        var output = Encoding.makeOutput(forBytes: bytes.count)
        var sink = LastPieceSink()
        try encodeNormalized(UnsafeBufferPointer(rebasing: bytes[0..<validLength]), allowed: nil, disallowed: nil,
                             into: &output, pieces: &sink)
        let lastPiece = sink.last
        if validLength == bytes.count { return output }
        var lastPieceTokens = 0
        if let lastPiece {
            var tokens = [Rank]()
            merger.appendTokens(bytes.baseAddress! + lastPiece.lowerBound, lastPiece.count, into: &tokens)
            lastPieceTokens = tokens.count
        }

        // tiktoken's "quick and dirty fix": a whitespace last piece absorbs the whitespace tokens before it.
        func isAllSpace(_ token: Rank) -> Bool {
            vocabulary.table.withBytes(of: token) { $0.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 } } ?? false
        }
        if lastPieceTokens > 0, isAllSpace(output[output.count - lastPieceTokens]) {
            while lastPieceTokens < output.count, isAllSpace(output[output.count - lastPieceTokens - 1]) {
                lastPieceTokens += 1
            }
        }
        var unstable = [UInt8]()
        if !output.isEmpty, lastPieceTokens > 0 {
            for token in output[(output.count - lastPieceTokens)...] {
                vocabulary.table.withBytes(of: token) { unstable.append(contentsOf: $0) }
            }
            output.removeLast(lastPieceTokens)
        }
        unstable.append(contentsOf: bytes[validLength...])
        if let byte = unstable.withUnsafeBufferPointer({ vocabulary.firstMissingByte(in: $0) }) { throw .noTokenForByte(byte) }
        unstable.withUnsafeBufferPointer { merger.appendTokens($0.baseAddress!, $0.count, into: &output) }
        return output
    }
}
