/// One pre-token piece of encoded text: where it is in the input and the tokens it became.
public struct EncodedPiece: Sendable, Equatable {
    /// The piece's UTF-8 byte range in the input.
    public let range: Range<Int>
    /// The piece's tokens, in order; their bytes concatenate to the piece.
    public let tokens: [Rank]
    /// Whether the piece is special-token text encoded as its control token.
    public let isSpecial: Bool

    /// A piece covering `range` of the input, encoded as `tokens`.
    public init(range: Range<Int>, tokens: [Rank], isSpecial: Bool) {
        self.range = range
        self.tokens = tokens
        self.isSpecial = isSpecial
    }
}

extension Encoding {
    /// Encodes `text` as ``encode(_:allowedSpecial:disallowedSpecial:)`` does, returning the tokens
    /// grouped by pre-token piece, with each piece's byte range. Concatenating the pieces' tokens
    /// gives exactly `encode`'s result.
    public func encodePieces(_ text: String, allowedSpecial: SpecialTokenSet = .none,
                             disallowedSpecial: SpecialTokenSet = .all) throws(TokenEncodingError) -> [EncodedPiece] {
        let (allowed, disallowed) = resolve(allowedSpecial, disallowedSpecial)
        return try Encoding.withUTF8(text) { buffer throws(TokenEncodingError) in
            var output = [Rank]()
            var collector = PieceCollector()
            try encodeCore(buffer, allowed: allowed, disallowed: disallowed, into: &output, pieces: &collector)
            var start = 0
            return collector.pieces.map { piece in
                defer { start = piece.tokenEnd }
                return EncodedPiece(range: piece.range, tokens: Array(output[start..<piece.tokenEnd]), isSpecial: piece.isSpecial)
            }
        }
    }
}

struct PieceCollector: PieceSink {
    var pieces = [(range: Range<Int>, tokenEnd: Int, isSpecial: Bool)]()
    mutating func piece(_ range: Range<Int>, tokenEnd: Int, isSpecial: Bool) {
        pieces.append((range, tokenEnd, isSpecial))
    }
}
