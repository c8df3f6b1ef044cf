/// One model of a ``ModelCatalog``: the encoding it tokenizes with and its token limits, each
/// figure with the public page it comes from.
public struct ModelInfo: Sendable, Equatable {
    /// How a chat request for the model is counted (`ChatRequest` in the Harmony module).
    public enum ChatFormat: String, Sendable, Equatable {
        /// Rendered as a Harmony conversation (gpt-oss): the count is exact.
        case harmony
        /// OpenAI cookbook's estimate: a fixed overhead per message and per name, and the reply's
        /// priming; tools by the cookbook's per-function and per-property overheads.
        case estimate
        /// Not a chat model (completions, embeddings, base models).
        case none
    }

    /// The model's name, as its API or model card spells it.
    public let name: String
    /// Other exact names for the same model.
    public let aliases: [String]
    /// Name prefixes that resolve to this model when no exact name matches (the longest wins).
    public let prefixes: [String]
    /// The built-in encoding (``EncodingSpec/named(_:)``).
    public let encoding: String
    /// Prompt and output together, in tokens; nil when the catalog has no sourced figure.
    public let contextWindow: Int?
    /// A tighter limit on the prompt alone, where the vendor publishes one.
    public let maxInputTokens: Int?
    /// The most tokens one reply may have.
    public let maxOutputTokens: Int?
    /// How a chat request is counted.
    public let chat: ChatFormat
    /// The public pages the figures come from.
    public let sources: [String]

    /// A model entry.
    public init(name: String, aliases: [String] = [], prefixes: [String] = [], encoding: String, contextWindow: Int? = nil,
                maxInputTokens: Int? = nil, maxOutputTokens: Int? = nil, chat: ChatFormat = .none, sources: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.prefixes = prefixes
        self.encoding = encoding
        self.contextWindow = contextWindow
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.chat = chat
        self.sources = sources
    }

    /// The most tokens a prompt may have: ``maxInputTokens`` where published, else the whole
    /// ``contextWindow``; nil when the catalog has neither.
    public var inputBudget: Int? { maxInputTokens ?? contextWindow }
}
