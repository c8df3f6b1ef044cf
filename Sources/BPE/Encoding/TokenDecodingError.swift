/// Why token ids could not be decoded.
public enum TokenDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An id that is neither an ordinary nor a special token: the id and its position in the input.
    case unknownToken(Rank, position: Int)
    /// The decoded bytes are not valid UTF-8 (strict decoding): the byte offset of the first bad byte.
    case invalidUTF8(byteOffset: Int)
    /// A special token's id where the call refuses them (``SpecialTokenDecoding/refuse``): the id and
    /// its position in the input.
    case specialToken(Rank, position: Int)

    /// One line saying what is wrong.
    public var description: String {
        switch self {
        case let .unknownToken(id, position): return "token id \(id) at position \(position) is not in the vocabulary"
        case let .invalidUTF8(offset): return "decoded bytes are not valid UTF-8 at byte \(offset)"
        case let .specialToken(id, position):
            return "token id \(id) at position \(position) is a special token; keep or skip special tokens to decode it"
        }
    }
}

/// What decoding does with special tokens' ids (mistral-common's `SpecialTokenPolicy`, Hugging
/// Face's `skip_special_tokens`).
public enum SpecialTokenDecoding: String, Sendable, CaseIterable {
    /// Their text, as tiktoken decodes them (the default).
    case keep
    /// Nothing, as mistral-common decodes by default.
    case skip
    /// ``TokenDecodingError/specialToken(_:position:)``.
    case refuse
}
