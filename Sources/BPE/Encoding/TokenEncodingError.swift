/// Why text could not be encoded.
public enum TokenEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text contains special-token text that the call did not allow (tiktoken's default is to
    /// disallow all): the token and its UTF-8 byte offset in the input.
    case disallowedSpecialToken(String, byteOffset: Int)
    /// PCRE2 failed while splitting (a resource limit on a custom pattern).
    case patternFailed(String)
    /// A budget argument is out of range (for example `maxTokens` 0, or `overlap` not below it).
    case invalidBudget(String)
    /// The vocabulary has no token for this byte (some `tokenizer.json` files lack the bytes that
    /// valid UTF-8 never holds), so the input cannot be encoded without losing it.
    case noTokenForByte(UInt8)

    /// One line saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .disallowedSpecialToken(token, offset):
            return "input contains the special token \(token) at byte \(offset); allow it to encode it as a control token, or exclude it from the disallowed set to encode it as plain text"
        case let .patternFailed(message): return "pre-tokenizing failed: \(message)"
        case let .invalidBudget(message): return message
        case let .noTokenForByte(byte):
            return "the vocabulary has no token for byte 0x\(String(byte, radix: 16, uppercase: true)), so this input cannot be encoded without losing it"
        }
    }
}
