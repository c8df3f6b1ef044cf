import BPE

/// gpt-oss's harmony format on o200k_harmony: renders conversations to token ids
/// (`HarmonyEncoding+Rendering.swift`) and parses completions back (`HarmonyEncoding+Parsing.swift`,
/// ``HarmonyStreamParser``), as openai-harmony's `HarmonyEncoding` does.
///
/// Every piece of text (roles, names, recipients, channels, content) is encoded with
/// ``Encoding/encodeOrdinary(_:)``, so message text containing `<|start|>` or `<|end|>` is plain
/// text and never a control token. Only the renderer emits control tokens.
public final class HarmonyEncoding: Sendable {
    public let encoding: Encoding
    let start: Rank, message: Rank, end: Rank, returnToken: Rank, call: Rank, channel: Rank, constrain: Rank
    /// Tokens that end a message when sampling: `<|return|>`, `<|end|>` and `<|call|>`.
    public let stopTokens: Set<Rank>

    /// Wraps an encoding that has harmony's special tokens (o200k_harmony).
    public init(encoding: Encoding) throws(HarmonyError) {
        func id(_ text: String) throws(HarmonyError) -> Rank {
            guard let id = encoding.specialTokens[text] else {
                throw HarmonyError("\(encoding.name) has no special token \(text); harmony needs o200k_harmony")
            }
            return id
        }
        self.encoding = encoding
        start = try id("<|start|>")
        message = try id("<|message|>")
        end = try id("<|end|>")
        returnToken = try id("<|return|>")
        call = try id("<|call|>")
        channel = try id("<|channel|>")
        constrain = try id("<|constrain|>")
        stopTokens = [returnToken, end, call]
    }

    /// Harmony on o200k_harmony, loaded as ``Encoding/named(_:vocabularyDirectory:)`` does.
    public static func load(vocabularyDirectory: String? = nil) throws -> HarmonyEncoding {
        try HarmonyEncoding(encoding: Encoding.named("o200k_harmony", vocabularyDirectory: vocabularyDirectory))
    }

    /// Tokens that end an assistant turn: `<|return|>` and `<|call|>`.
    public var stopTokensForAssistantActions: Set<Rank> { [returnToken, call] }

    /// The ids of a piece of header or content text, always as plain text.
    /// - Throws: ``HarmonyError`` if the text cannot be encoded (it never is special-token text:
    ///   special-token text is plain text here).
    func text(_ s: String) throws(HarmonyError) -> [Rank] {
        do {
            return try encoding.encodeOrdinary(s)
        } catch {
            throw HarmonyError("could not encode \(s.prefix(40).debugDescription): \(error)")
        }
    }
}

/// The former name of ``HarmonyEncoding``, which parses as well as renders.
@available(*, deprecated, renamed: "HarmonyEncoding")
public typealias HarmonyRenderer = HarmonyEncoding
