import BPE

/// `--format json`: an array with one object per encoding: its tokens (id, hex bytes, text when
/// whole UTF-8 characters, byte range, piece index, category) and its summary.
public enum JSONRenderer {
    public static func render(_ inspections: [Inspection]) -> String {
        var out = "[\n"
        for (n, inspection) in inspections.enumerated() {
            out += "  {\"encoding\": \(quote(inspection.encoding)),\n   \"tokens\": [\n"
            for (i, token) in inspection.tokens.enumerated() {
                out += "    {\"id\": \(token.id), \"bytes\": \"\(hex(token.bytes))\""
                if let text = token.text { out += ", \"text\": \(quote(text))" }
                out += ", \"start\": \(token.range.lowerBound), \"end\": \(token.range.upperBound)"
                out += ", \"piece\": \(token.piece), \"category\": \"\(token.category.rawValue)\"}"
                out += i + 1 < inspection.tokens.count ? ",\n" : "\n"
            }
            out += "   ],\n   \"summary\": " + summary(inspection.summary) + "}"
            out += n + 1 < inspections.count ? ",\n" : "\n"
        }
        return out + "]\n"
    }

    static func summary(_ summary: Summary) -> String {
        func counts(_ c: Summary.Counts) -> String {
            "{\"characters\": \(c.characters), \"bytes\": \(c.bytes), \"pieces\": \(c.pieces), \"tokens\": \(c.tokens), \"tokens_per_character\": \(fixed(c.tokensPerCharacter))}"
        }
        let categories = Category.allCases.compactMap { category in
            summary.byCategory[category].map { "\"\(category.rawValue)\": " + counts($0) }
        }
        return "{\"total\": \(counts(summary.total)), \"categories\": {\(categories.joined(separator: ", "))}}"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// A JSON string literal (``JSONString/quote(_:)``).
    public static func quote(_ text: String) -> String { JSONString.quote(text) }
}
