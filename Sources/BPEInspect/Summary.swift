import BPE

/// Counts for a whole text and per category: characters (grapheme clusters, each counted in the
/// piece where it starts), UTF-8 bytes, pieces and tokens.
public struct Summary: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var characters = 0
        public var bytes = 0
        public var pieces = 0
        public var tokens = 0
        /// Tokens per character (0 when there are no characters).
        public var tokensPerCharacter: Double { characters == 0 ? 0 : Double(tokens) / Double(characters) }
        public var bytesPerToken: Double { tokens == 0 ? 0 : Double(bytes) / Double(tokens) }

        static func += (a: inout Counts, b: Counts) {
            a.characters += b.characters; a.bytes += b.bytes; a.pieces += b.pieces; a.tokens += b.tokens
        }
    }

    public var total = Counts()
    public var byCategory: [Category: Counts] = [:]

    /// - Parameter categories: the category of each piece.
    init(text: String, pieces: [EncodedPiece], categories: [Category]) {
        let starts = Summary.characterStarts(text)
        var startIndex = 0
        for (piece, category) in zip(pieces, categories) {
            var counts = Counts(characters: 0, bytes: piece.range.count, pieces: 1, tokens: piece.tokens.count)
            while startIndex < starts.count, starts[startIndex] < piece.range.upperBound {
                if starts[startIndex] >= piece.range.lowerBound { counts.characters += 1 }
                startIndex += 1
            }
            byCategory[category, default: Counts()] += counts
            total += counts
        }
    }

    /// Adds another summary's counts (for totals over several texts).
    public mutating func add(_ other: Summary) {
        total += other.total
        for (category, counts) in other.byCategory { byCategory[category, default: Counts()] += counts }
    }

    public init() {}

    /// UTF-8 offsets where each grapheme cluster starts.
    static func characterStarts(_ text: String) -> [Int] {
        var starts = [Int]()
        var index = text.startIndex
        while index < text.endIndex {
            starts.append(text.utf8.distance(from: text.utf8.startIndex, to: index))
            index = text.index(after: index)
        }
        return starts
    }
}
