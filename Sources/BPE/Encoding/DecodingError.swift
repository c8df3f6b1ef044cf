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
