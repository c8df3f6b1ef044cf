/// Why text could not be encoded.
public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text contains special-token text that the call did not allow (tiktoken's default is to
    /// disallow all): the token and its UTF-8 byte offset in the input.
    case disallowedSpecialToken(String, byteOffset: Int)
    /// PCRE2 failed while splitting (a resource limit on a custom pattern).
    case patternFailed(String)
    /// A budget argument is out of range (for example `maxTokens` 0, or `overlap` not below it).
    case invalidBudget(String)

    /// One line saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .disallowedSpecialToken(token, offset):
            return "input contains the special token \(token) at byte \(offset); allow it to encode it as a control token, or exclude it from the disallowed set to encode it as plain text"
        case let .patternFailed(message): return "pre-tokenizing failed: \(message)"
        case let .invalidBudget(message): return message
        }
    }
}

/// Why token ids could not be decoded.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An id that is neither an ordinary nor a special token: the id and its position in the input.
    case unknownToken(Rank, position: Int)
    /// The decoded bytes are not valid UTF-8 (strict decoding): the byte offset of the first bad byte.
    case invalidUTF8(byteOffset: Int)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case let .unknownToken(id, position): return "token id \(id) at position \(position) is not in the vocabulary"
        case let .invalidUTF8(offset): return "decoded bytes are not valid UTF-8 at byte \(offset)"
        }
    }
}

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
