/// The normaliser stage: what an encoding does to text before pre-tokenizing it (Hugging Face
/// tokenizers' `normalizer`). Most encodings have none; Qwen's apply NFC, as the vendor's
/// tokenizer does (`unicodedata.normalize("NFC", text)` before tiktoken).
///
/// Positions that an encoding reports (offsets, pieces, truncation lengths) index the normalised
/// text, ``normalize(_:)``'s result, which is the input itself whenever it is already normal.
public enum Normalizer: String, Sendable, Equatable, CaseIterable {
    /// Unicode normalization form C, equal to Python 3.11's `unicodedata.normalize("NFC", …)`
    /// (Unicode 14.0.0; see ``unicodeVersion``).
    case nfc

    /// The Unicode version of the normalisation tables.
    public static var unicodeVersion: String { NormalizationTables.unicodeVersion }

    /// `text` normalised.
    public func normalize(_ text: String) -> String {
        var text = text
        let normalized = text.withUTF8 { normalize(utf8: $0) }
        return normalized.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The normalised bytes of `utf8` (valid UTF-8), or nil when it is already normal.
    /// - Complexity: O(n); text that is already normal is only scanned (ASCII a byte at a time).
    func normalize(utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch self {
        case .nfc: NFC.shared.normalize(utf8)
        }
    }
}
