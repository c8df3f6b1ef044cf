/// `bpe compare --format html`: one self-contained page (inline SVG, no external assets) with a
/// grouped bar chart of tokens per sample per encoding, the sample and category tables, and the
/// measured findings.
enum ComparisonHTML {
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#d62728", "#8c564b"]

    static func render(_ c: Comparison, rows: [Comparison.Row]) -> String {
        let escape = HTMLRenderer.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>bpe compare</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 1.5em; background: #fafafa; color: #222; max-width: 1100px; }
        table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 13px; }
        td, th { padding: 3px 7px; text-align: right; border-bottom: 1px solid #e4e4e4; }
        td:first-child, th:first-child { text-align: left; }
        th { background: #f0f0f0; } .note { color: #555; font-size: 13px; }
        svg text { font-family: system-ui, sans-serif; }
        </style></head><body>
        <h1>Tokens per sample</h1>
        <p class="note">\(c.encodings.map(escape).joined(separator: ", ")).\(c.baseline.map { " Token tax: tokens ÷ \(escape($0))'s tokens under the same encoding." } ?? "")</p>

        """
        out += chart(c, rows: rows)
        out += "<h2>Samples</h2>\n" + table(ComparisonRenderer.sampleTable(c, rows), boldLast: true)
        out += "<h2>By category, all samples</h2>\n" + table(ComparisonRenderer.categoryTable(c), boldLast: false)
        out += "<p class=\"note\">1-tok: pieces (words, digit runs) that are a single token; max: most characters (digits: most digits) in one token.</p>\n"
        let facts = ComparisonRenderer.findings(c)
        if !facts.isEmpty { out += "<ul>\n" + facts.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n" }
        return out + "</body></html>\n"
    }

    /// Horizontal grouped bars: one group per sample, one bar per encoding, the count at its end.
    static func chart(_ c: Comparison, rows: [Comparison.Row]) -> String {
        let escape = HTMLRenderer.escape
        let barHeight = 11, gap = 9, labelWidth = 120, plotWidth = 760, legendHeight = 28
        let groupHeight = c.encodings.count * barHeight + gap
        let height = legendHeight + rows.count * groupHeight + 30
        let maximum = max(1, rows.flatMap(\.tokens).max() ?? 1)
        let step = tickStep(maximum)
        let top = ((maximum + step - 1) / step) * step
        func x(_ value: Int) -> Int { labelWidth + value * plotWidth / top }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + plotWidth + 60)\" height=\"\(height)\" role=\"img\" aria-label=\"Tokens per sample per encoding\">\n"
        for (e, name) in c.encodings.enumerated() {
            let lx = labelWidth + e * 170
            svg += "<rect x=\"\(lx)\" y=\"6\" width=\"14\" height=\"14\" fill=\"\(colors[e % colors.count])\"/><text x=\"\(lx + 20)\" y=\"18\" font-size=\"13\">\(escape(name))</text>\n"
        }
        let plotTop = legendHeight, plotBottom = legendHeight + rows.count * groupHeight
        for tick in stride(from: 0, through: top, by: step) {
            svg += "<line x1=\"\(x(tick))\" y1=\"\(plotTop)\" x2=\"\(x(tick))\" y2=\"\(plotBottom)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(x(tick))\" y=\"\(plotBottom + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(tick)</text>\n"
        }
        for (r, row) in rows.enumerated() {
            let y0 = plotTop + r * groupHeight
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y0 + c.encodings.count * barHeight / 2 + 4)\" font-size=\"12\" text-anchor=\"end\">\(escape(row.name))</text>\n"
            for (e, tokens) in row.tokens.enumerated() {
                let y = y0 + e * barHeight
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(max(1, x(tokens) - labelWidth))\" height=\"\(barHeight - 1)\" fill=\"\(colors[e % colors.count])\"><title>\(escape(row.name)), \(escape(c.encodings[e])): \(tokens) tokens</title></rect>"
                svg += "<text x=\"\(x(tokens) + 3)\" y=\"\(y + barHeight - 2)\" font-size=\"9\" fill=\"#333\">\(tokens)</text>\n"
            }
        }
        svg += "<line x1=\"\(labelWidth)\" y1=\"\(plotTop)\" x2=\"\(labelWidth)\" y2=\"\(plotBottom)\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(labelWidth + plotWidth / 2)\" y=\"\(plotBottom + 30)\" font-size=\"12\" text-anchor=\"middle\">tokens</text>\n"
        return svg + "</svg>\n"
    }

    /// The smallest 1, 2 or 5 × 10^k that covers `maximum` in at most five steps.
    static func tickStep(_ maximum: Int) -> Int {
        var magnitude = 1
        while true {
            for m in [1, 2, 5] where maximum <= m * magnitude * 5 { return m * magnitude }
            magnitude *= 10
        }
    }

    static func table(_ table: ComparisonRenderer.Table, boldLast: Bool) -> String {
        let escape = HTMLRenderer.escape
        var out = "<table>\n<tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for (i, row) in table.rows.enumerated() {
            let bold = boldLast && i == table.rows.count - 1
            out += "<tr>" + row.map { bold ? "<td><b>\(escape($0))</b></td>" : "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }
}
