import PCRE2

/// The normaliser stage: what an encoding does to text before pre-tokenizing it (Hugging Face
/// tokenizers' `normalizer`, one case per kind it has for byte-level BPE). Most encodings have
/// none; Qwen's apply NFC, as the vendor's tokenizer does (`unicodedata.normalize("NFC", text)`
/// before tiktoken).
///
/// Positions that an encoding reports (offsets, pieces, truncation lengths) index the normalised
/// text, ``Encoding/normalize(_:)``'s result, which is the input itself whenever it is already normal.
public indirect enum Normalizer: Sendable, Equatable, CustomStringConvertible {
    /// Unicode normalization form C, equal to Python 3.11's `unicodedata.normalize("NFC", …)`
    /// (Unicode 14.0.0; see ``unicodeVersion``): Qwen's.
    case nfc
    /// Unicode normalization form C as Hugging Face tokenizers applies it (a tokenizer.json's
    /// `NFC`): its tables are Unicode 9.0's, so the 98 marks assigned since that have a combining
    /// class are class-0 scalars to it, which neither move nor let others move past them.
    case huggingFaceNFC
    /// Unicode normalization form KC (compatibility) as Hugging Face tokenizers applies it (a
    /// tokenizer.json's `NFKC`): without the mappings and mark classes its tables do not have.
    case nfkc
    /// Each scalar replaced by its full lowercase mapping, without context (Rust's
    /// `char::to_lowercase`, as Hugging Face's `Lowercase` applies it: `Σ` is always `σ`).
    case lowercase
    /// Every non-overlapping match, left to right, replaced (Hugging Face's `Replace`).
    case replace(Replacement)
    /// The string put before any text that is not empty (Hugging Face's `Prepend`).
    case prepend(String)
    /// Each in order (Hugging Face's `Sequence`).
    case sequence([Normalizer])

    /// What `Replace` looks for, and what it puts instead.
    public struct Replacement: Sendable, Equatable {
        /// The text looked for, literally, or a regex.
        public enum Pattern: Sendable, Equatable {
            case string(String)
            case regex(String)
        }

        public let pattern: Pattern
        public let content: String
        let regex: Regex

        /// - Throws: `RegexError` (PCRE2's message) when the regex does not compile.
        public init(_ pattern: Pattern, with content: String) throws(RegexError) {
            self.pattern = pattern
            self.content = content
            switch pattern {
            case let .string(literal):
                regex = try Regex(literal.unicodeScalars.map { "\\x{" + String($0.value, radix: 16) + "}" }.joined())
            case let .regex(expression):
                regex = try Regex(BPE.Pattern.expandingUnicodeClasses(expression), options: .dollarEndOnly)
            }
        }

        public static func == (a: Replacement, b: Replacement) -> Bool { a.pattern == b.pattern && a.content == b.content }
    }

    /// Whether normalising normal text again changes nothing (false for `Prepend` and `Replace`,
    /// which may keep adding), so that parts of normal text can be encoded on their own.
    public var isIdempotent: Bool {
        switch self {
        case .nfc, .huggingFaceNFC, .nfkc, .lowercase: true
        case .replace, .prepend: false
        case let .sequence(items): items.allSatisfy(\.isIdempotent)
        }
    }

    /// The Unicode version of the normalisation tables.
    public static var unicodeVersion: String { NormalizationTables.unicodeVersion }

    public var description: String {
        switch self {
        case .nfc, .huggingFaceNFC: "NFC"
        case .nfkc: "NFKC"
        case .lowercase: "Lowercase"
        case let .replace(replacement):
            switch replacement.pattern {
            case let .string(text): "Replace(\(JSONString.quote(text)) → \(JSONString.quote(replacement.content)))"
            case let .regex(text): "Replace(/\(text)/ → \(JSONString.quote(replacement.content)))"
            }
        case let .prepend(text): "Prepend(\(JSONString.quote(text)))"
        case let .sequence(items): items.map(\.description).joined(separator: " → ")
        }
    }

    /// `text` normalised.
    public func normalize(_ text: String) -> String {
        var text = text
        let normalized = text.withUTF8 { normalize(utf8: $0) }
        return normalized.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The normalised bytes of `utf8` (valid UTF-8), or nil when it is already normal.
    /// - Complexity: O(n); text that NFC or NFKC leaves alone is only scanned (ASCII a byte at a time).
    func normalize(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch self {
        case .nfc: Composition.nfc.normalize(utf8)
        case .huggingFaceNFC: Composition.huggingFaceNFC.normalize(utf8)
        case .nfkc: Composition.nfkc.normalize(utf8)
        case .lowercase: Normalizer.lowercase(utf8)
        case let .replace(replacement): Normalizer.replace(utf8, replacement)
        case let .prepend(text): utf8.isEmpty || text.isEmpty ? nil : Array(text.utf8) + utf8
        case let .sequence(items):
            items.reduce(nil as [UInt8]?) { current, item in
                if let current {
                    current.withUnsafeBufferPointer { item.normalize(utf8: $0) } ?? current
                } else {
                    item.normalize(utf8: utf8)
                }
            }
        }
    }

    private static func lowercase(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8]?
        var i = 0
        while i < text.count {
            let byte = text[i]
            if byte < 0x80 {
                if byte &- 0x41 < 26 {
                    if output == nil { output = Array(text[..<i]) }
                    output!.append(byte | 0x20)
                } else {
                    output?.append(byte)
                }
                i += 1
                continue
            }
            let (value, length) = Composition.decode(text, i)
            if let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased {
                if output == nil { output = Array(text[..<i]) }
                output!.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else {
                output?.append(contentsOf: text[i..<(i + length)])
            }
            i += length
        }
        return output
    }

    private static func replace(_ text: UnsafeBufferPointer<UInt8>, _ replacement: Replacement) -> [UInt8]? {
        var output = [UInt8]()
        var copied = 0
        let content = Array(replacement.content.utf8)
        try? replacement.regex.makeMatcher().forEachMatch(in: text) { match in
            output.append(contentsOf: text[copied..<match.lowerBound])
            output.append(contentsOf: content)
            copied = match.upperBound
        }
        guard copied > 0 || !output.isEmpty else { return nil }
        output.append(contentsOf: text[copied...])
        return output
    }
}
