import BPE

/// How several encodings tokenize a set of samples: per-sample token counts, each sample's
/// "token tax" (tokens relative to a baseline sample, English by default, under the same encoding)
/// and a per-category breakdown over all samples.
///
/// Every token count is the length of ``Encoding/encodeOrdinary(_:)`` (special-token text counts as
/// plain text). Characters are grapheme clusters, as in ``Summary``.
public struct Comparison: Sendable {
    /// A named text to compare.
    public struct Sample: Sendable, Equatable {
        public let name: String
        public let text: String
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// One sample's counts.
    public struct Row: Sendable {
        public let name: String
        public let characters: Int
        public let bytes: Int
        /// Tokens per encoding, in the order of ``Comparison/encodings``.
        public let tokens: [Int]
        /// Tokens relative to the baseline sample per encoding (`nil` without a baseline).
        public let tax: [Double]?

        public func tokensPerCharacter(_ encoding: Int) -> Double {
            characters == 0 ? 0 : Double(tokens[encoding]) / Double(characters)
        }
    }

    /// One category's counts under one encoding, summed over all samples.
    public struct CategoryCounts: Sendable, Equatable {
        /// Characters whose piece is of this category.
        public var characters = 0
        /// Pre-token pieces (words, digit runs, ...) of this category.
        public var pieces = 0
        /// Pieces encoded as exactly one token (a whole word in one token).
        public var wholePieces = 0
        public var tokens = 0
        /// The most characters any one token of this category holds (for digits: the longest run
        /// of digits in one token).
        public var longestToken = 0

        public var tokensPerCharacter: Double { characters == 0 ? 0 : Double(tokens) / Double(characters) }
        public var charactersPerToken: Double { tokens == 0 ? 0 : Double(characters) / Double(tokens) }
        /// The share of pieces that are one token, 0...1.
        public var wholePieceShare: Double { pieces == 0 ? 0 : Double(wholePieces) / Double(pieces) }
    }

    /// The encodings' names, in the order given.
    public let encodings: [String]
    /// One row per sample, in the order given.
    public let rows: [Row]
    /// The sample the token tax is relative to, when one was found.
    public let baseline: String?
    /// Per category (in ``Category`` order; only those present), counts per encoding.
    public let categories: [(category: Category, counts: [CategoryCounts])]

    /// Tokenizes every sample with every encoding.
    /// - Parameter baseline: the sample the token tax is relative to; when no sample has that name
    ///   (or it has no tokens) there is no tax.
    /// - Complexity: O(total text length × encodings).
    public init(samples: [Sample], encodings: [Encoding], baseline: String? = "english") throws {
        self.encodings = encodings.map(\.name)
        var perCategory = [Category: [CategoryCounts]]()
        var counts = [[Int]]()
        var characters = [Int]()
        for sample in samples {
            var row = [Int]()
            for (index, encoding) in encodings.enumerated() {
                let inspection = try Inspection(text: sample.text, encoding: encoding)
                row.append(inspection.tokens.count)
                Comparison.addCategories(of: inspection, encoding: index, count: encodings.count, to: &perCategory)
                if index == 0 { characters.append(inspection.summary.total.characters) }
            }
            counts.append(row)
        }
        let base = samples.firstIndex { $0.name == baseline }.flatMap { counts[$0].allSatisfy { $0 > 0 } ? $0 : nil }
        self.baseline = base.map { samples[$0].name }
        rows = samples.indices.map { i in
            Row(name: samples[i].name, characters: encodings.isEmpty ? samples[i].text.count : characters[i],
                bytes: samples[i].text.utf8.count, tokens: counts[i],
                tax: base.map { b in counts[i].indices.map { Double(counts[i][$0]) / Double(counts[b][$0]) } })
        }
        categories = Category.allCases.compactMap { category in perCategory[category].map { (category, $0) } }
    }

    /// The index of an encoding by name.
    public func index(of encoding: String) -> Int? { encodings.firstIndex(of: encoding) }

    /// The change in tokens from cl100k_base to o200k_base in percent (negative: o200k needs fewer),
    /// when both were compared and cl100k_base gave any tokens.
    public func o200kChange(_ row: Row) -> Double? {
        guard let old = index(of: "cl100k_base"), let new = index(of: "o200k_base"), row.tokens[old] > 0 else { return nil }
        return (Double(row.tokens[new]) / Double(row.tokens[old]) - 1) * 100
    }

    /// Totals over all rows (characters, bytes, tokens per encoding).
    public var total: Row {
        Row(name: "total", characters: rows.reduce(0) { $0 + $1.characters }, bytes: rows.reduce(0) { $0 + $1.bytes },
            tokens: encodings.indices.map { e in rows.reduce(0) { $0 + $1.tokens[e] } }, tax: nil)
    }

    static func addCategories(of inspection: Inspection, encoding: Int, count: Int,
                              to table: inout [Category: [CategoryCounts]]) {
        for (category, summary) in inspection.summary.byCategory {
            var counts = table[category] ?? Array(repeating: CategoryCounts(), count: count)
            counts[encoding].characters += summary.characters
            counts[encoding].pieces += summary.pieces
            counts[encoding].tokens += summary.tokens
            table[category] = counts
        }
        // Whole pieces and the longest token, from the tokens (grouped by piece, in order).
        var first = 0
        let tokens = inspection.tokens
        while first < tokens.count {
            var end = first + 1
            while end < tokens.count, tokens[end].piece == tokens[first].piece { end += 1 }
            let category = tokens[first].category
            if end - first == 1 { table[category]![encoding].wholePieces += 1 }
            for token in tokens[first..<end] {
                let length = Comparison.characterCount(token.bytes, digitsOnly: category == .digits)
                table[category]![encoding].longestToken = max(table[category]![encoding].longestToken, length)
            }
            first = end
        }
    }

    /// Characters in a token's bytes (scalars; bytes of a split character count as one), or only
    /// its decimal digits.
    static func characterCount(_ bytes: [UInt8], digitsOnly: Bool) -> Int {
        guard digitsOnly else { return bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.reduce(0) {
            $0 + ($1.properties.numericType == .decimal ? 1 : 0)
        }
    }
}
