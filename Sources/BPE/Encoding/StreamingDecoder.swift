/// Decodes token ids one at a time, as a model generates them, returning only complete text.
///
/// A character split across tokens (an emoji is two o200k tokens, a CJK character up to three) is
/// held back until its last byte arrives. Bytes that can never become a character are replaced by
/// U+FFFD as they are found, the way `String(decoding:as:)` replaces them, so the concatenation of
/// everything returned equals ``Encoding/decodeLossy(_:specialTokens:)`` of the whole sequence.
///
/// ```swift
/// var stream = StreamingDecoder(encoding: encoding)
/// for id in generated { print(try stream.push(id), terminator: "") }
/// print(try stream.finish())
/// ```
public struct StreamingDecoder: Sendable {
    /// What ``finish(_:)`` does with an unfinished character at the end of the stream.
    public enum Policy: Sendable {
        /// Throw ``TokenDecodingError/invalidUTF8(byteOffset:)``.
        case error
        /// Return U+FFFD in its place.
        case replace
    }

    /// The encoding whose ids are decoded.
    public let encoding: Encoding
    /// Whether special tokens are left out of the text (otherwise their text, e.g. `<|end|>`, is kept).
    public let skipSpecialTokens: Bool
    private var pending: [UInt8] = []
    private var position = 0
    private var emittedBytes = 0

    /// A decoder for ids of `encoding`; with `skipSpecialTokens`, special tokens add no text.
    public init(encoding: Encoding, skipSpecialTokens: Bool = false) {
        self.encoding = encoding
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one token; returns the text that became complete (often empty while a character is split).
    /// - Throws: ``TokenDecodingError/unknownToken(_:position:)`` for an id that is not in the encoding.
    public mutating func push(_ token: Rank) throws(TokenDecodingError) -> String {
        defer { position += 1 }
        if let bytes = encoding.vocabulary.table.withBytes(of: token, { Array($0) }) {
            pending += bytes
        } else if let special = encoding.tokenBytes(token) {
            if !skipSpecialTokens { pending += special }
        } else {
            throw .unknownToken(token, position: position)
        }
        let cut = StreamingDecoder.completeLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        emittedBytes += cut
        pending.removeFirst(cut)
        return text
    }

    /// Adds several tokens; returns the text that became complete.
    public mutating func push(_ tokens: some Sequence<Rank>) throws(TokenDecodingError) -> String {
        var text = ""
        for token in tokens { text += try push(token) }
        return text
    }

    /// Ends the stream: returns what is left, applying `policy` to an unfinished character.
    public mutating func finish(_ policy: Policy = .replace) throws(TokenDecodingError) -> String {
        defer { pending.removeAll() }
        if !pending.isEmpty, policy == .error { throw .invalidUTF8(byteOffset: emittedBytes) }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Whether an unfinished character is being held back.
    public var isHoldingBytes: Bool { !pending.isEmpty }

    /// The length of the prefix of `bytes` that ends before a trailing sequence that could still
    /// become a valid character (a lead byte followed by fewer continuation bytes than it needs).
    static func completeLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var start = n - 1
        while start >= 0, start >= n - 3, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0, start >= n - 3 else { return n }
        // ASCII or a byte that starts nothing: everything is complete (or invalid, and replaced).
        guard let (needed, second) = UTF8Validation.sequence(startingWith: bytes[start]) else { return n }
        let present = n - start
        guard present < needed else { return n }
        if present >= 2, !second.contains(bytes[start + 1]) { return n }
        return start
    }
}
