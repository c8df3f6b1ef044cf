/// A set of special tokens named by their text, or all of them (tiktoken's `"all"`).
public enum SpecialTokenSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Every special token of the encoding.
    case all
    /// The special tokens with these texts.
    case only(Set<String>)

    /// The special tokens with these texts: `["<|endoftext|>"]`.
    public init(arrayLiteral elements: String...) { self = .only(Set(elements)) }

    /// The empty set.
    public static let none = SpecialTokenSet.only([])

    func contains(_ token: String) -> Bool {
        switch self {
        case .all: return true
        case let .only(set): return set.contains(token)
        }
    }
}
