/// What kind of text a pre-token piece is, for the inspector's and comparison's summaries.
///
/// A piece is classified by the first rule its scalars meet, in this order: any emoji scalar →
/// `emoji`; any Han, Hiragana, Katakana or Hangul → `cjk`; any Arabic-script letter → `arabic`;
/// any other letter or mark → `letters`; any digit → `digits`; only whitespace → `whitespace`;
/// otherwise `code` (punctuation, symbols, operators). Special-token text encoded as a control
/// token is `special`.
public enum Category: String, CaseIterable, Sendable, Codable, Comparable {
    case emoji, cjk, arabic, letters, digits, whitespace, code, special

    public static func < (a: Category, b: Category) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// A short label for tables.
    public var label: String {
        switch self {
        case .emoji: return "emoji"
        case .cjk: return "CJK"
        case .arabic: return "Arabic"
        case .letters: return "letters"
        case .digits: return "digits"
        case .whitespace: return "whitespace"
        case .code: return "code/punct"
        case .special: return "special"
        }
    }

    /// The category of a piece's UTF-8 bytes (invalid UTF-8 counts as `code`).
    public init(piece: some Collection<UInt8>) {
        var sawCJK = false, sawArabic = false, sawLetter = false, sawDigit = false, sawOther = false
        for scalar in String(decoding: Array(piece), as: UTF8.self).unicodeScalars {
            if Category.isEmoji(scalar) { self = .emoji; return }
            let v = scalar.value
            if Category.isCJK(v) { sawCJK = true; continue }
            let properties = scalar.properties
            if properties.generalCategory.isNumber { sawDigit = true; continue }
            if Category.isArabic(v) { sawArabic = true; continue }
            if properties.isAlphabetic || properties.generalCategory.isMark { sawLetter = true; continue }
            if properties.isWhitespace { continue }
            sawOther = true
        }
        if sawCJK { self = .cjk }
        else if sawArabic { self = .arabic }
        else if sawLetter { self = .letters }
        else if sawDigit { self = .digits }
        else if sawOther { self = .code }
        else { self = .whitespace }
    }

    static func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x2000 { return false }  // keeps ASCII digits, #, * out (they are emoji only with U+FE0F)
        if (0x1F1E6...0x1F1FF).contains(v) || (0x1F3FB...0x1F3FF).contains(v) || v == 0x200D || v == 0xFE0F || v == 0x20E3 { return true }
        return scalar.properties.isEmoji || scalar.properties.isEmojiPresentation
    }

    static func isCJK(_ v: UInt32) -> Bool {
        switch v {
        case 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C,
             0x3040...0x30FF, 0x3100...0x312F, 0x3130...0x318F, 0x31A0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFF66...0xFFDC, 0x1100...0x11FF,
             0x1B000...0x1B16F, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }

    static func isArabic(_ v: UInt32) -> Bool {
        switch v {
        case 0x0600...0x06FF, 0x0750...0x077F, 0x0870...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF,
             0x10E60...0x10E7F, 0x1EE00...0x1EEFF:
            return true
        default:
            return false
        }
    }
}

extension Unicode.GeneralCategory {
    var isMark: Bool { self == .nonspacingMark || self == .spacingMark || self == .enclosingMark }
    var isNumber: Bool { self == .decimalNumber || self == .letterNumber || self == .otherNumber }
}
