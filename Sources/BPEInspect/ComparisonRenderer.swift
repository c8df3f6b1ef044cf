/// Renders a ``Comparison`` as text (aligned columns), Markdown, CSV or JSON. HTML is
/// ``ComparisonHTML``.
public enum ComparisonRenderer {
    public enum Format: String, CaseIterable, Sendable {
        case text, markdown, csv, json, html
    }

    /// How rows are ordered.
    public enum Order: String, CaseIterable, Sendable {
        /// As given.
        case input
        /// By name.
        case name
        /// By the first encoding's token count, fewest first (the same order as its token tax); ties by name.
        case tokens
        /// By the change from cl100k_base to o200k_base, largest saving first; ties by name.
        case change
    }

    public static func render(_ comparison: Comparison, format: Format, order: Order = .tokens) -> String {
        let rows = sorted(comparison, order)
        switch format {
        case .text: return text(comparison, rows)
        case .markdown: return markdown(comparison, rows)
        case .csv: return csv(comparison, rows)
        case .json: return json(comparison, rows)
        case .html: return ComparisonHTML.render(comparison, rows: rows)
        }
    }

    static func sorted(_ comparison: Comparison, _ order: Order) -> [Comparison.Row] {
        let rows = comparison.rows
        switch order {
        case .input: return rows
        case .name: return rows.sorted { $0.name < $1.name }
        case .tokens:
            guard !comparison.encodings.isEmpty else { return rows }
            return rows.sorted { ($0.tokens[0], $0.name) < ($1.tokens[0], $1.name) }
        case .change:
            return rows.sorted { (comparison.o200kChange($0) ?? 0, $0.name) < (comparison.o200kChange($1) ?? 0, $1.name) }
        }
    }

    // MARK: - Tables (shared by text, Markdown and CSV)

    /// A table as header and rows of cells; the first column is left-aligned, the rest right.
    struct Table {
        var header: [String]
        var rows: [[String]]
    }

    static func short(_ encoding: String) -> String {
        encoding.hasSuffix("_base") ? String(encoding.dropLast(5)) : encoding
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "" }
        let rounded = (value * 10).rounded() / 10
        return (rounded > 0 ? "+" : "") + fixed(rounded, digits: 1) + "%"
    }

    /// The per-sample table. `machine` uses full encoding names and plain numbers (CSV).
    static func sampleTable(_ c: Comparison, _ rows: [Comparison.Row], machine: Bool = false) -> Table {
        let names = machine ? c.encodings : c.encodings.map(short)
        let hasChange = c.index(of: "cl100k_base") != nil && c.index(of: "o200k_base") != nil
        var header = ["sample", "chars", "bytes"]
        header += names.map { machine ? "tokens_\($0)" : $0 }
        header += names.map { machine ? "tokens_per_char_\($0)" : "\($0)/char" }
        if c.baseline != nil { header += names.map { machine ? "tax_\($0)" : "\($0) tax" } }
        if hasChange { header.append(machine ? "change_cl100k_to_o200k_percent" : "cl100k→o200k") }
        func cells(_ row: Comparison.Row) -> [String] {
            var cells = [row.name, String(row.characters), String(row.bytes)]
            cells += row.tokens.map(String.init)
            cells += c.encodings.indices.map { fixed(row.tokensPerCharacter($0), digits: 3) }
            if c.baseline != nil {
                cells += c.encodings.indices.map { e in row.tax.map { fixed($0[e], digits: 2) } ?? "" }
            }
            if hasChange {
                let change = c.o200kChange(row)
                cells.append(machine ? change.map { fixed($0, digits: 1) } ?? "" : percent(change))
            }
            return cells
        }
        return Table(header: header, rows: rows.map(cells) + [cells(c.total)])
    }

    /// The per-category table: for each encoding, tokens, tokens per character, the share of
    /// pieces that are one token, and the most characters (digits, for digits) in one token.
    static func categoryTable(_ c: Comparison, machine: Bool = false) -> Table {
        let names = machine ? c.encodings : c.encodings.map(short)
        var header = ["category", "chars"]
        for name in names {
            header += machine ? ["tokens_\(name)", "tokens_per_char_\(name)", "whole_pieces_\(name)", "longest_token_\(name)"]
                              : [name, "\(name)/char", "\(name) 1-tok", "\(name) max"]
        }
        let rows = c.categories.map { entry -> [String] in
            var cells = [entry.category.label, String(entry.counts.first?.characters ?? 0)]
            for counts in entry.counts {
                cells += [String(counts.tokens), fixed(counts.tokensPerCharacter, digits: 3),
                          machine ? fixed(counts.wholePieceShare, digits: 3) : fixed(counts.wholePieceShare * 100, digits: 0) + "%",
                          String(counts.longestToken)]
            }
            return cells
        }
        return Table(header: header, rows: rows)
    }

    /// Sentences stating the known facts as measured on these samples.
    public static func findings(_ c: Comparison) -> [String] {
        var lines = [String]()
        func get(_ category: Category) -> [Comparison.CategoryCounts]? {
            c.categories.first { $0.category == category }?.counts
        }
        func list(_ category: Category, _ value: (Comparison.CategoryCounts) -> String) -> String? {
            guard let counts = get(category) else { return nil }
            return zip(c.encodings, counts).map { "\(value($1)) (\($0))" }.joined(separator: ", ")
        }
        if let s = list(.emoji, { fixed($0.tokensPerCharacter, digits: 2) }) { lines.append("Tokens per emoji: \(s).") }
        if let s = list(.cjk, { fixed($0.tokensPerCharacter, digits: 2) }) { lines.append("Tokens per CJK character: \(s).") }
        if let s = list(.arabic, { fixed($0.wholePieceShare * 100, digits: 0) + "%" }) {
            lines.append("Arabic-script words that are one token: \(s).")
        }
        if let s = list(.arabic, { fixed($0.charactersPerToken, digits: 1) }) { lines.append("Arabic-script characters per token: \(s).") }
        if let s = list(.digits, { String($0.longestToken) }) { lines.append("Most digits in one token: \(s).") }
        return lines
    }

    static func aligned(_ table: Table) -> String {
        let all = [table.header] + table.rows
        let widths = table.header.indices.map { col in all.map { $0[col].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { col -> String in
                let pad = String(repeating: " ", count: widths[col] - row[col].count)
                return col == 0 ? row[col] + pad : pad + row[col]
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    static func text(_ c: Comparison, _ rows: [Comparison.Row]) -> String {
        var out = "Tokens per sample (\(c.encodings.joined(separator: ", ")))\n\n"
        out += aligned(sampleTable(c, rows))
        out += "\nchars: characters (grapheme clusters); X/char: tokens per character"
        if let baseline = c.baseline { out += "; X tax: tokens ÷ \(baseline)'s tokens under the same encoding" }
        if c.index(of: "cl100k_base") != nil && c.index(of: "o200k_base") != nil {
            out += ";\ncl100k→o200k: change in tokens from cl100k_base to o200k_base"
        }
        out += "\n\nBy category, all samples\n\n"
        out += aligned(categoryTable(c))
        out += "\nX: tokens; 1-tok: pieces (words, digit runs) that are a single token; max: most characters in one token (digits: most digits)\n"
        let facts = findings(c)
        if !facts.isEmpty { out += "\n" + facts.joined(separator: "\n") + "\n" }
        return out
    }

    static func markdownTable(_ table: Table) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(table.header) + "|" + table.header.indices.map { $0 == 0 ? ":---|" : "---:|" }.joined() + "\n"
            + table.rows.map(line).joined()
    }

    static func markdown(_ c: Comparison, _ rows: [Comparison.Row]) -> String {
        var out = "### Tokens per sample\n\n" + markdownTable(sampleTable(c, rows))
        if let baseline = c.baseline { out += "\n*tax*: tokens ÷ \(baseline)'s tokens under the same encoding; *chars*: grapheme clusters.\n" }
        out += "\n### By category, all samples\n\n" + markdownTable(categoryTable(c))
        out += "\n*1-tok*: pieces that are a single token; *max*: most characters (digits: most digits) in one token.\n"
        let facts = findings(c)
        if !facts.isEmpty { out += "\n" + facts.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        return out
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
    }

    /// The per-sample table with full encoding names and plain numbers, one line per sample and a
    /// final `total` line.
    static func csv(_ c: Comparison, _ rows: [Comparison.Row]) -> String {
        let table = sampleTable(c, rows, machine: true)
        return ([table.header] + table.rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func json(_ c: Comparison, _ rows: [Comparison.Row]) -> String {
        let q = JSONRenderer.quote
        func perEncoding(_ values: [String]) -> String {
            "{" + zip(c.encodings, values).map { "\(q($0)): \($1)" }.joined(separator: ", ") + "}"
        }
        func row(_ r: Comparison.Row) -> String {
            var fields = ["\"name\": \(q(r.name))", "\"characters\": \(r.characters)", "\"bytes\": \(r.bytes)",
                          "\"tokens\": \(perEncoding(r.tokens.map(String.init)))",
                          "\"tokens_per_character\": \(perEncoding(c.encodings.indices.map { fixed(r.tokensPerCharacter($0), digits: 4) }))"]
            if let tax = r.tax { fields.append("\"tax\": \(perEncoding(tax.map { fixed($0, digits: 4) }))") }
            if let change = c.o200kChange(r) { fields.append("\"change_cl100k_to_o200k_percent\": \(fixed(change, digits: 2))") }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        let categories = c.categories.map { entry in
            let counts = entry.counts.map { k in
                "{\"characters\": \(k.characters), \"pieces\": \(k.pieces), \"whole_pieces\": \(k.wholePieces), \"tokens\": \(k.tokens), \"longest_token\": \(k.longestToken), \"tokens_per_character\": \(fixed(k.tokensPerCharacter, digits: 4))}"
            }
            return "    {\"category\": \(q(entry.category.rawValue)), \"counts\": \(perEncoding(counts))}"
        }
        return """
        {
          "encodings": [\(c.encodings.map(q).joined(separator: ", "))],
          "baseline": \(c.baseline.map(q) ?? "null"),
          "samples": [
        \(rows.map { "    " + row($0) }.joined(separator: ",\n"))
          ],
          "total": \(row(c.total)),
          "categories": [
        \(categories.joined(separator: ",\n"))
          ]
        }

        """
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
