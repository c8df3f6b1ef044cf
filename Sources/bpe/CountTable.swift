import ArgumentParser
import BPE
import BPEInspect
import Foundation

/// `bpe count`'s results: one row per input, one column per encoding or model, with each
/// column's budget; written as wc-like text or JSON, and checked against the budgets.
struct CountTable {
    /// One input's counts, one per column.
    struct Row {
        var path: String
        var counts: [TokenCount]
        /// Each column's budget for this input (nil where none).
        var limits: [Limit?]
        /// More members for the row's JSON object (already encoded values), in order.
        var extra: [(String, String)] = []
    }

    /// A column's budget and how to name it in a message.
    struct Limit {
        var tokens: Int
        var what: String
    }

    var labels: [String]
    var rows: [Row]

    var totals: [Int] { labels.indices.map { column in rows.reduce(0) { $0 + $1.counts[column].tokens } } }

    /// `N path` lines (one count per column), a header naming the columns when there are
    /// several, a total line when there are several rows.
    func text() -> String {
        let totals = totals
        // With several columns, a header names them (each as wide as its name at least).
        let width = Swift.max(8, String(totals.max() ?? 0).count + 1, labels.count > 1 ? labels.map(\.count).max()! : 0)
        func pad(_ text: String) -> String { String(repeating: " ", count: Swift.max(0, width - text.count)) + text }
        func line(_ values: [Int], _ label: String) -> String {
            values.map { pad(String($0)) }.joined(separator: " ") + " " + label + "\n"
        }
        var out = labels.count > 1 ? labels.map(pad).joined(separator: " ") + " path\n" : ""
        out += rows.map { line($0.counts.map(\.tokens), $0.path) }.joined()
        if rows.count > 1 { out += line(totals, "total") }
        return out
    }

    /// `{"files": [{"path", "bytes", "tokens": {COLUMN: N}, "budget": {COLUMN: N}, "share": {COLUMN: x}}],
    /// "total": {"bytes", "tokens"}}`; `budget` and `share` (tokens ÷ budget, six decimals) only
    /// for columns with a budget.
    func json() -> String {
        func object(_ labels: [String], _ values: [String]) -> String {
            "{" + zip(labels, values).map { JSONRenderer.quote($0) + ": " + $1 }.joined(separator: ", ") + "}"
        }
        let files = rows.map { row in
            var members = [("path", JSONRenderer.quote(row.path)), ("bytes", String(row.counts.first?.bytes ?? 0)),
                           ("tokens", object(labels, row.counts.map { String($0.tokens) }))]
            let limited = labels.indices.filter { row.limits[$0] != nil }
            if !limited.isEmpty {
                let names = limited.map { labels[$0] }
                members.append(("budget", object(names, limited.map { String(row.limits[$0]!.tokens) })))
                members.append(("share", object(names, limited.map { column in
                    let limit = row.limits[column]!.tokens
                    return limit == 0 ? "null" : String(format: "%.6f", Double(row.counts[column].tokens) / Double(limit))
                })))
            }
            members += row.extra
            return "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        let totalBytes = rows.reduce(0) { $0 + ($1.counts.first?.bytes ?? 0) }
        return "{\"files\": [" + files.joined(separator: ", ") + "], \"total\": {\"bytes\": \(totalBytes), \"tokens\": \(object(labels, totals.map(String.init)))}}\n"
    }

    /// With `enforced` budgets (`--max`), one line on stderr per input and column over budget,
    /// then exit status 3.
    func checkBudgets(named enforced: Bool) throws {
        guard enforced else { return }
        var over = 0
        for row in rows {
            for (column, count) in row.counts.enumerated() {
                guard let limit = row.limits[column], count.tokens > limit.tokens else { continue }
                over += 1
                let under = labels.count > 1 ? " with \(labels[column])" : ""
                FileHandle.standardError.write(Data(
                    "bpe count: \(row.path): \(count.tokens) tokens\(under), over the budget of \(limit.tokens) (\(limit.what))\n".utf8))
            }
        }
        if over > 0 { throw ExitCode(3) }
    }
}
