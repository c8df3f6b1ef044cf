/// What an encoding puts around a text's tokens when the caller asks for it: Hugging Face's
/// post-processor under `encode(text, add_special_tokens=True)` (`TemplateProcessing`'s single
/// template, `RobertaProcessing`, `BertProcessing`), Llama's `bos=True`, mistral-common's
/// `bos=True`. Encoding never adds them by itself; ``Encoding/addingSpecialTokens(_:)`` does.
///
/// Example (a test): Llama 3's is `<|begin_of_text|>` (128000) before the text's tokens.
public struct PostProcessor: Sendable, Equatable {
    /// Ids before the text's tokens.
    public let prefix: [Rank]
    /// Ids after them.
    public let suffix: [Rank]

    public init(prefix: [Rank] = [], suffix: [Rank] = []) {
        self.prefix = prefix
        self.suffix = suffix
    }

    /// Adds nothing.
    public static let none = PostProcessor()

    /// `ids` with the prefix before and the suffix after.
    public func apply(_ ids: [Rank]) -> [Rank] {
        prefix.isEmpty && suffix.isEmpty ? ids : prefix + ids + suffix
    }

    /// The number of ids it adds.
    public var addedCount: Int { prefix.count + suffix.count }

    /// Both, in order (`Sequence` of post-processors).
    func then(_ other: PostProcessor) -> PostProcessor {
        PostProcessor(prefix: prefix + other.prefix, suffix: suffix + other.suffix)
    }
}
