/// `--format html`: one self-contained page (no external assets): the encodings side by side, each
/// token a coloured box with a tooltip (id, bytes), split characters framed, and the category table.
///
/// Tokens stay in reading order whatever the script: each box is isolated from the bidirectional
/// reordering of its neighbours (`unicode-bidi: isolate`) and sets its own direction from its
/// first strong character (`dir="auto"`), so an Arabic or Hebrew word's tokens read left to right
/// as they were produced, each showing its letters right to left, and a split character's byte
/// boxes stay inside its frame.
public enum HTMLRenderer {
    public static func render(_ inspections: [Inspection], title: String = "bpe inspect") -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 1.5em; background: #fafafa; color: #222; }
        .columns { display: grid; grid-template-columns: repeat(\(max(1, inspections.count)), minmax(0, 1fr)); gap: 1.5em; }
        .encoding { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1em; }
        h2 { font-size: 1.1em; margin: 0 0 .6em; } h2 small { color: #666; font-weight: normal; }
        .tokens { font-family: ui-monospace, monospace; font-size: 15px; line-height: 1.9; white-space: pre-wrap; word-break: break-all; direction: ltr; }
        .t, .split, .ch { unicode-bidi: isolate; }
        .t { border-radius: 3px; padding: 1px 0; }
        .c0 { background: #cde4ff; } .c1 { background: #ffe2c2; } .c2 { background: #d3f5d3; }
        .c3 { background: #ffd3e3; } .c4 { background: #e1d9ff; } .c5 { background: #fff3b0; }
        .special { background: #8e24aa; color: #fff; font-weight: bold; }
        .split { outline: 2px dashed #e53935; border-radius: 3px; margin: 0 2px; }
        .split .t { font-size: 11px; margin: 0 1px; padding: 1px 2px; } .split .ch { margin: 0 2px; }
        .ws { color: #999; }
        table { border-collapse: collapse; margin-top: 1em; font-size: 13px; max-width: 100%; }
        section { overflow-x: auto; }
        td, th { padding: 2px 5px; text-align: right; border-bottom: 1px solid #eee; } td:first-child, th:first-child { text-align: left; }
        .legend { color: #555; font-size: 13px; margin-bottom: 1em; }
        </style></head><body>
        <h1>\(escape(title))</h1>
        <p class="legend">Each box is one token (hover for its id and bytes); alternating colours separate tokens.
        A dashed frame marks one character made of several tokens, shown as their bytes.
        <span class="ws">·</span> space, <span class="ws">→</span> tab, <span class="ws">↵</span> newline.</p>
        <div class="columns">

        """
        for inspection in inspections {
            let t = inspection.summary.total
            out += "<section class=\"encoding\"><h2>\(escape(inspection.encoding)) <small>\(t.tokens) tokens · \(t.characters) characters · \(t.bytes) bytes</small></h2>\n<div class=\"tokens\">"
            var colorIndex = 0
            for group in inspection.groups {
                if group.splitsCharacter {
                    out += "<span class=\"split\" dir=\"ltr\" title=\"\(escape(group.text)) = \(group.tokens.count) tokens\"><span class=\"ch\" dir=\"auto\">\(visible(group.text))</span>"
                    for i in group.tokens {
                        out += span(inspection.tokens[i], label: hex(inspection.tokens[i].bytes), colorIndex: colorIndex)
                        colorIndex += 1
                    }
                    out += "</span>"
                } else {
                    let token = inspection.tokens[group.tokens.lowerBound]
                    out += span(token, label: visible(group.text), colorIndex: colorIndex)
                    colorIndex += 1
                }
            }
            out += "</div>\n" + table(inspection.summary) + "</section>\n"
        }
        return out + "</div></body></html>\n"
    }

    static func span(_ token: Inspection.Token, label: String, colorIndex: Int) -> String {
        let cls = token.isSpecial ? "t special" : "t c\(colorIndex % 6)"
        return "<span class=\"\(cls)\" dir=\"auto\" title=\"id \(token.id) · bytes \(hex(token.bytes)) · \(token.category.label)\">\(label)</span>"
    }

    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": out += "<span class=\"ws\">·</span>"
            case "\t": out += "<span class=\"ws\">→</span>"
            case "\n": out += "<span class=\"ws\">↵</span>\n"
            case "\r": out += "<span class=\"ws\">␍</span>"
            default:
                if let name = invisibleName(scalar) { out += "<span class=\"ws\">‹\(name)›</span>" } else { out += escape(String(scalar)) }
            }
        }
        return out
    }

    static func table(_ summary: Summary) -> String {
        var out = "<table><tr><th>category</th><th>chars</th><th>bytes</th><th>pieces</th><th>tokens</th><th>tokens/char</th></tr>"
        func row(_ name: String, _ c: Summary.Counts) -> String {
            "<tr><td>\(name)</td><td>\(c.characters)</td><td>\(c.bytes)</td><td>\(c.pieces)</td><td>\(c.tokens)</td><td>\(fixed(c.tokensPerCharacter))</td></tr>"
        }
        for category in Category.allCases {
            if let counts = summary.byCategory[category] { out += row(category.label, counts) }
        }
        return out + row("<b>total</b>", summary.total) + "</table>\n"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
