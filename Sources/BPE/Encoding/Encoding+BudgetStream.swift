/// One chunk of a text cut by ``Encoding/forEachChunk(fileDescriptor:path:maxTokens:overlap:_:)``.
public struct TextChunk: Sendable, Equatable {
    /// 0 for the first chunk, then 1, 2, …
    public var index: Int
    /// The chunk's UTF-8 byte range in the (normalised) input.
    public var range: Range<Int>
    /// How many tokens the chunk encodes to on its own (as ordinary text).
    public var tokenCount: Int
    /// The chunk's text.
    public var text: String

    /// A chunk of `text`, `range` in the input, of `tokenCount` tokens.
    public init(index: Int, range: Range<Int>, tokenCount: Int, text: String) {
        self.index = index
        self.range = range
        self.tokenCount = tokenCount
        self.text = text
    }
}

extension Encoding {
    /// Cuts everything readable from `fd` into chunks as ``chunks(_:maxTokens:overlap:)`` does,
    /// calling `body` with each in order, without holding the whole input: only the chunk being
    /// cut and a few pieces past it are in memory (see ``Encoding/chunks(_:maxTokens:overlap:)``
    /// for how each chunk is found). With a normaliser, text is normalised up to the last ASCII byte
    /// read, so a long stretch without any ASCII is held whole.
    /// - Parameters:
    ///   - fd: an open file descriptor (a file, pipe or standard input), read to its end.
    ///   - path: names the input in errors.
    ///   - maxTokens: the budget of each chunk, at least 1.
    ///   - overlap: tokens each chunk repeats from the end of the previous one, below `maxTokens`.
    ///   - body: called with each chunk, in order.
    /// - Throws: ``CountError`` naming `path`: unreadable input, input that is not UTF-8 (with the
    ///   offset of the first bad byte), or an encoding error (an invalid budget, a normaliser
    ///   that is not idempotent).
    /// - Complexity: O(n).
    public func forEachChunk(fileDescriptor fd: Int32, path: String, maxTokens: Int, overlap: Int = 0,
                             _ body: (TextChunk) -> Void) throws(CountError) {
        var reader = BudgetReader(encoding: self, path: path) { POSIX.read(fd, into: $0) }
        try forEachChunk(&reader, maxTokens: maxTokens, overlap: overlap, body)
    }

    /// The longest prefix of everything readable from `fd` that ``prefixLength(_:maxTokens:)``
    /// would keep, reading only as far as its search needs (a few pieces past the budget).
    /// - Throws: ``CountError`` naming `path`, as ``forEachChunk(fileDescriptor:path:maxTokens:overlap:_:)``.
    /// - Complexity: O(length of the prefix plus a few pieces).
    public func prefix(fileDescriptor fd: Int32, path: String, maxTokens: Int) throws(CountError) -> [UInt8] {
        var reader = BudgetReader(encoding: self, path: path) { POSIX.read(fd, into: $0) }
        return try prefix(&reader, maxTokens: maxTokens)
    }

    func prefix(_ reader: inout BudgetReader, maxTokens: Int) throws(CountError) -> [UInt8] {
        guard maxTokens > 0 else { return [] }
        do { try checkBudgetNormalizer() } catch { throw reader.fail(error) }
        var guess = Encoding.windowGuess(maxTokens)
        try reader.fill(atLeast: guess)
        while true {
            let found = try reader.withText { text, complete throws(TokenEncodingError) in
                try cut(text, from: 0, isComplete: complete, maxTokens: maxTokens, splitCharacters: false, guess: &guess)
            }
            if let found { return Array(reader.text[..<found.length]) }
            try reader.fill(atLeast: reader.text.count * 2)
        }
    }

    func forEachChunk(_ reader: inout BudgetReader, maxTokens: Int, overlap: Int,
                      _ body: (TextChunk) -> Void) throws(CountError) {
        do { try checkChunkBudget(maxTokens: maxTokens, overlap: overlap) } catch { throw reader.fail(error) }
        var guess = Encoding.windowGuess(maxTokens)
        var start = 0    // in reader.text
        var index = 0
        try reader.fill(atLeast: guess)
        while start < reader.text.count || !reader.isComplete {
            let from = start
            let step = try reader.withText { text, complete throws(TokenEncodingError) in
                try chunk(text, from: from, isComplete: complete, maxTokens: maxTokens, overlap: overlap, guess: &guess)
            }
            guard let step else {
                try reader.fill(atLeast: reader.text.count + max(guess, reader.text.count - start))
                continue
            }
            let text = String(decoding: reader.text[start..<step.end], as: UTF8.self)
            body(TextChunk(index: index, range: (reader.offset + start)..<(reader.offset + step.end),
                           tokenCount: step.tokens.count, text: text))
            index += 1
            start = step.next
            if start >= reader.text.count, reader.isComplete { break }
            if start > (1 << 16), start > reader.text.count / 2 {
                reader.drop(start)
                start = 0
            }
            try reader.fill(atLeast: start + guess)
        }
    }
}

/// Normal UTF-8 text read from a source in blocks, for the streaming budget calls: `text` holds
/// what is read and not yet dropped, from offset `offset` of the whole (normalised) input.
struct BudgetReader {
    let encoding: Encoding
    let path: String
    let read: (UnsafeMutableRawBufferPointer) -> Int
    /// Normal, valid text.
    private(set) var text = [UInt8]()
    /// Where `text` starts in the whole normalised input.
    private(set) var offset = 0
    /// Whether the source is read to its end (and all of it is in `text`).
    private(set) var isComplete = false
    /// Bytes read but not yet in `text`: an incomplete character, or text after the last place
    /// the normaliser may be cut.
    private var raw = [UInt8]()
    /// Bytes of the source before `raw`.
    private var consumed = 0
    /// What one read fills.
    private var block = [UInt8](repeating: 0, count: 1 << 16)

    init(encoding: Encoding, path: String, read: @escaping (UnsafeMutableRawBufferPointer) -> Int) {
        self.encoding = encoding
        self.path = path
        self.read = read
    }

    func fail(_ error: TokenEncodingError) -> CountError { CountError(path: path, reason: error.description) }

    /// `body` with `text` and whether it is the whole rest of the input; errors name the path.
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>, Bool) throws(TokenEncodingError) -> R) throws(CountError) -> R {
        let result: Result<R, TokenEncodingError> = text.withUnsafeBufferPointer { buffer in
            Result { () throws(TokenEncodingError) in try body(buffer, isComplete) }
        }
        do { return try result.get() } catch { throw fail(error) }
    }

    /// Drops `text[..<count]`.
    mutating func drop(_ count: Int) {
        text.removeFirst(count)
        offset += count
    }

    /// Reads until `text` holds `count` bytes or the source ends.
    mutating func fill(atLeast count: Int) throws(CountError) {
        while text.count < count, !isComplete {
            let wanted = min(block.count, max(count - text.count, 4096))
            let n = block.withUnsafeMutableBytes { read(UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted])) }
            if n < 0 { throw CountError(path: path, reason: POSIX.lastErrorMessage) }
            if n == 0 { isComplete = true }
            raw += block[0..<n]
            try take()
        }
    }

    /// Moves what is valid and normal from `raw` to `text`.
    private mutating func take() throws(CountError) {
        let valid = raw.withUnsafeBufferPointer { UTF8Validation.validPrefixLength($0) }
        if valid < raw.count, isComplete || raw.count - valid > 3 || StreamingDecoder.completeLength(Array(raw[valid...])) > 0 {
            throw CountError(path: path, reason: "not valid UTF-8 at byte \(consumed + valid); truncating and chunking take text")
        }
        var end = valid
        let normalizes = encoding.normalizer != nil || encoding.huggingFace != nil
        if normalizes, !isComplete {
            // Normalising may join a character with the next one, never with an ASCII one: cut
            // before the last ASCII byte and keep the rest for later.
            end = raw[..<valid].lastIndex { $0 < 0x80 } ?? 0
        }
        guard end > 0 else { return }
        if normalizes {
            text += Array(encoding.normalize(String(decoding: raw[..<end], as: UTF8.self)).utf8)
        } else {
            text += raw[..<end]
        }
        raw.removeFirst(end)
        consumed += end
    }
}
