/// A token and where its bytes are in the input.
public struct TokenSpan: Sendable, Equatable {
    /// The token id.
    public let id: Rank
    /// The token's UTF-8 byte range in the input (special tokens: their text's range).
    public let utf8: Range<Int>

    /// A token `id` whose bytes are `utf8` of the input.
    public init(id: Rank, utf8: Range<Int>) {
        self.id = id
        self.utf8 = utf8
    }
}

extension Encoding {
    /// Encodes like ``encode(_:allowedSpecial:disallowedSpecial:)`` and returns each token with its
    /// UTF-8 byte range in `text`. The ranges are contiguous and cover the text; a token that holds
    /// part of a character (half an emoji) has a range that starts or ends inside that character.
    public func encodeWithOffsets(_ text: String, allowedSpecial: SpecialTokenSet = .none,
                                  disallowedSpecial: SpecialTokenSet = .all) throws(TokenEncodingError) -> [TokenSpan] {
        var spans = [TokenSpan]()
        for piece in try encodePieces(text, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial) {
            if piece.isSpecial {
                spans.append(TokenSpan(id: piece.tokens[0], utf8: piece.range))
                continue
            }
            var offset = piece.range.lowerBound
            for id in piece.tokens {
                let length = vocabulary.table.length(of: id)
                spans.append(TokenSpan(id: id, utf8: offset..<(offset + length)))
                offset += length
            }
        }
        return spans
    }
}

extension Encoding {
    /// Decodes `tokens` and returns each with its UTF-8 byte range in the decoded text (special
    /// tokens: their text's range), like tiktoken's `decode_with_offsets` but in bytes;
    /// ``TokenSpan/range(in:)`` and ``TokenSpan/utf16Range(in:)`` map the ranges into `text`.
    /// - Throws: ``TokenDecodingError/unknownToken(_:position:)``, or
    ///   ``TokenDecodingError/invalidUTF8(byteOffset:)`` when the bytes are not text (use
    ///   ``decodeBytes(_:specialTokens:)`` and the ranges of ``encodeWithOffsets(_:allowedSpecial:disallowedSpecial:)`` for raw bytes).
    public func decodeWithOffsets(_ tokens: some Sequence<Rank>) throws(TokenDecodingError) -> (text: String, spans: [TokenSpan]) {
        var bytes = [UInt8]()
        var spans = [TokenSpan]()
        for (position, id) in tokens.enumerated() {
            guard let token = tokenBytes(id) else { throw .unknownToken(id, position: position) }
            spans.append(TokenSpan(id: id, utf8: bytes.count..<(bytes.count + token.count)))
            bytes += token
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8(byteOffset: UTF8Validation.validPrefixLength(bytes))
        }
        return (text, spans)
    }
}

extension TokenSpan {
    /// The range in `text` of the Unicode scalars this token's bytes touch, as `String.Index`es
    /// (a token holding part of a scalar gets that whole scalar).
    /// - Complexity: O(1) for native strings (UTF-8 offsets map to indices directly).
    public func range(in text: String) -> Range<String.Index> {
        let view = text.utf8
        var lower = view.index(view.startIndex, offsetBy: utf8.lowerBound)
        var upper = view.index(view.startIndex, offsetBy: utf8.upperBound)
        while lower > view.startIndex, lower < view.endIndex, view[lower] & 0xC0 == 0x80 { lower = view.index(before: lower) }
        while upper < view.endIndex, view[upper] & 0xC0 == 0x80 { upper = view.index(after: upper) }
        return lower..<upper
    }

    /// The same range as UTF-16 offsets (for `NSString`, `NSRange` and Apple text APIs).
    public func utf16Range(in text: String) -> Range<Int> {
        let range = range(in: text)
        let view = text.utf16
        return view.distance(from: view.startIndex, to: range.lowerBound)..<view.distance(from: view.startIndex, to: range.upperBound)
    }
}
