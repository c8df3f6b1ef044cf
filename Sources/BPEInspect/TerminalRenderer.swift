import BPE

/// Draws inspections for a terminal: tokens in alternating background colours (or, without
/// colour, in brackets), whitespace made visible, split characters grouped with their hex bytes,
/// then a summary table per encoding.
///
/// Plain notation: `[Hello]` is a token; `[·world]` a token starting with a space (`·` space,
/// `→` tab, `↵` newline); `{🐍: [F0 9F][90 8D]}` one character made of two tokens shown as bytes;
/// `[<|endoftext|>]*` a special token; `--ids` adds `|id` inside each token.
public struct TerminalRenderer: Sendable {
    public var color: Bool
    public var showIDs: Bool

    public init(color: Bool, showIDs: Bool) {
        self.color = color
        self.showIDs = showIDs
    }

    /// Background colours (256-colour palette), cycled token by token.
    static let backgrounds = [153, 223, 194, 218, 189, 229]
    static let reset = "\u{1B}[0m"

    public func render(_ inspections: [Inspection]) -> String {
        var out = ""
        for (index, inspection) in inspections.enumerated() {
            if index > 0 { out += "\n" }
            out += header(inspection) + "\n"
            out += tokens(inspection)
            if !out.hasSuffix("\n") { out += "\n" }
            out += "\n" + table(inspection.summary)
        }
        if inspections.count > 1 {
            out += "\n" + inspections.map { "\($0.encoding): \($0.summary.total.tokens) tokens" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    func header(_ inspection: Inspection) -> String {
        let t = inspection.summary.total
        let line = "\(inspection.encoding): \(t.tokens) tokens, \(t.characters) characters, \(t.bytes) bytes, \(t.pieces) pieces"
        return color ? "\u{1B}[1m" + line + TerminalRenderer.reset : "== " + line + " =="
    }

    func tokens(_ inspection: Inspection) -> String {
        var out = ""
        var colorIndex = 0
        for group in inspection.groups {
            if group.splitsCharacter {
                var parts = [String]()
                for i in group.tokens {
                    let token = inspection.tokens[i]
                    parts.append(box(hex(token.bytes), id: token.id, colorIndex: colorIndex, special: false))
                    colorIndex += 1
                }
                out += color ? "⟨" + visible(group.text) + " " + parts.joined() + "⟩"
                    : "{" + visible(group.text) + ": " + parts.joined() + "}"
            } else {
                let token = inspection.tokens[group.tokens.lowerBound]
                out += box(visible(group.text), id: token.id, colorIndex: colorIndex, special: token.isSpecial)
                colorIndex += 1
            }
            // By byte: as a `Character`, "\r\n" is one grapheme and `hasSuffix("\n")` misses it.
            if group.text.utf8.last == 0x0A { out += "\n" }
        }
        return out
    }

    func box(_ text: String, id: Rank, colorIndex: Int, special: Bool) -> String {
        let label = showIDs ? text + (color ? "\u{1B}[2m" + String(id) + "\u{1B}[22m" : "|" + String(id)) : text
        guard color else { return "[" + label + "]" + (special ? "*" : "") }
        let background = special ? "\u{1B}[1;97;45m" : "\u{1B}[30;48;5;\(TerminalRenderer.backgrounds[colorIndex % TerminalRenderer.backgrounds.count])m"
        return background + label + TerminalRenderer.reset
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    /// Whitespace made visible: `·` space, `→` tab, `↵` newline, `␍` carriage return.
    func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": out += "·"
            case "\t": out += "→"
            case "\n": out += "↵"
            case "\r": out += "␍"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
                } else if let name = invisibleName(scalar) {
                    out += "‹" + name + "›"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    func table(_ summary: Summary) -> String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + padding : padding + s
        }
        func row(_ name: String, _ c: Summary.Counts) -> String {
            pad(name, 11, left: true) + pad(String(c.characters), 7) + pad(String(c.bytes), 7) + pad(String(c.pieces), 7)
                + pad(String(c.tokens), 7) + pad(fixed(c.tokensPerCharacter), 12) + "\n"
        }
        var out = pad("category", 11, left: true) + pad("chars", 7) + pad("bytes", 7) + pad("pieces", 7) + pad("tokens", 7)
            + pad("tokens/char", 12) + "\n"
        for category in Category.allCases {
            if let counts = summary.byCategory[category] { out += row(category.label, counts) }
        }
        out += row("total", summary.total)
        return out
    }
}

/// A name for a scalar that draws nothing (ZWJ, ZWNJ, variation selectors, other format
/// characters), so a token made of it is still visible.
public func invisibleName(_ scalar: Unicode.Scalar) -> String? {
    switch scalar.value {
    case 0x200D: return "ZWJ"
    case 0x200C: return "ZWNJ"
    case 0xFE0F: return "VS16"
    case 0xFE0E: return "VS15"
    default:
        let category = scalar.properties.generalCategory
        guard category == .format || (0xFE00...0xFE0F).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value) else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// `value` rounded to `digits` decimals (two by default), without Foundation.
func fixed(_ value: Double, digits: Int = 2) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((abs(value) * Double(scale)).rounded())
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard digits > 0 else { return sign + String(scaled) }
    let fraction = String(scaled % scale)
    return sign + "\(scaled / scale)." + String(repeating: "0", count: digits - fraction.count) + fraction
}
