/// Why an ``Encoding`` could not be built.
public enum EncodingSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern does not compile (PCRE2's message).
    case badPattern(String)
    /// A special token's text is empty.
    case emptySpecialToken(Rank)
    /// A special token's id is also an ordinary token's rank.
    case specialTokenCollides(String, Rank)
    /// A spec names a special token it does not have.
    case unknownSpecialToken(String)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case let .badPattern(message): return "bad pre-tokenizer pattern: \(message)"
        case let .emptySpecialToken(id): return "special token \(id) has empty text"
        case let .specialTokenCollides(text, id): return "special token \(text) has id \(id), which is also an ordinary token's rank"
        case let .unknownSpecialToken(text): return "the spec names \(text), which is not one of its special tokens"
        }
    }
}
