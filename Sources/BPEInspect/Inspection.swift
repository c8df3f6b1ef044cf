import BPE

/// How one encoding cuts one text: every token with its bytes, place, piece and category.
public struct Inspection: Sendable {
    /// One token of the input.
    public struct Token: Sendable, Equatable {
        public let id: Rank
        public let bytes: [UInt8]
        /// The token's UTF-8 byte range in the input.
        public let range: Range<Int>
        /// The index of the pre-token piece it belongs to.
        public let piece: Int
        public let category: Category
        public let isSpecial: Bool
        /// The token's text when its bytes are whole UTF-8 characters.
        public var text: String? { String(validating: bytes, as: UTF8.self) }
    }

    /// A run of consecutive tokens whose bytes start and end on character boundaries: one token
    /// usually; several when the tokens split a character (an emoji in two, a CJK character in three).
    public struct Group: Sendable, Equatable {
        public let tokens: Range<Int>
        public let range: Range<Int>
        public let text: String
        public var splitsCharacter: Bool { tokens.count > 1 }
    }

    public let encoding: String
    public let input: String
    public let tokens: [Token]
    public let groups: [Group]
    public let pieceCount: Int
    public let summary: Summary

    /// Encodes `text` with `encoding` and records how it was cut.
    /// - Parameter allowSpecial: special-token text becomes control tokens (otherwise plain text).
    public init(text: String, encoding: Encoding, allowSpecial: Bool = false) throws {
        let pieces = try encoding.encodePieces(text, allowedSpecial: allowSpecial ? .all : .none,
                                               disallowedSpecial: .none)
        self.init(encoding: encoding, input: text, pieces: pieces)
    }

    /// Shows a token sequence made elsewhere, such as a rendered harmony conversation whose parts
    /// were encoded one by one: each token is its own piece, special tokens included.
    /// - Throws: ``TokenDecodingError`` for an id the encoding does not have, or ids whose bytes are not
    ///   UTF-8 text as a whole.
    public init(ids: [Rank], encoding: Encoding) throws {
        var pieces = [EncodedPiece]()
        var offset = 0
        var bytes = [UInt8]()
        for (position, id) in ids.enumerated() {
            guard let token = encoding.tokenBytes(id) else { throw TokenDecodingError.unknownToken(id, position: position) }
            pieces.append(EncodedPiece(range: offset..<(offset + token.count), tokens: [id], isSpecial: encoding.isSpecialToken(id)))
            bytes += token
            offset += token.count
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TokenDecodingError.invalidUTF8(byteOffset: UTF8Validation.validPrefixLength(bytes))
        }
        self.init(encoding: encoding, input: text, pieces: pieces)
    }

    init(encoding: Encoding, input text: String, pieces: [EncodedPiece]) {
        self.encoding = encoding.name
        input = text
        let utf8 = Array(text.utf8)
        var tokens = [Token]()
        let categories = pieces.map { $0.isSpecial ? Category.special : Category(piece: utf8[$0.range]) }
        for (index, piece) in pieces.enumerated() {
            let category = categories[index]
            var offset = piece.range.lowerBound
            for id in piece.tokens {
                let bytes = piece.isSpecial ? Array(utf8[piece.range]) : (encoding.tokenBytes(id) ?? [])
                tokens.append(Token(id: id, bytes: bytes, range: offset..<(offset + bytes.count), piece: index,
                                    category: category, isSpecial: piece.isSpecial))
                offset += bytes.count
            }
        }
        // Groups: extend a run of tokens until it ends on a character boundary of the input.
        var groups = [Group]()
        var first = 0
        while first < tokens.count {
            var last = first
            while last + 1 < tokens.count, !Inspection.isBoundary(utf8, tokens[last].range.upperBound) { last += 1 }
            let range = tokens[first].range.lowerBound..<tokens[last].range.upperBound
            groups.append(Group(tokens: first..<(last + 1), range: range, text: String(decoding: utf8[range], as: UTF8.self)))
            first = last + 1
        }
        self.tokens = tokens
        self.groups = groups
        pieceCount = pieces.count
        summary = Summary(text: text, pieces: pieces, categories: categories)
    }

    static func isBoundary(_ utf8: [UInt8], _ offset: Int) -> Bool {
        offset >= utf8.count || utf8[offset] & 0xC0 != 0x80
    }
}
