import CPCRE2

/// A compiled PCRE2 pattern over UTF-8 bytes.
///
/// Compiled once with `PCRE2_UTF | PCRE2_UCP` (plus any extra options) and JIT-compiled when the
/// library supports it. A `Regex` is immutable after `init`, so one instance may be shared across
/// threads; each thread matches through its own ``Matcher``.
public final class Regex: @unchecked Sendable {
    /// Compile-time options besides the always-on `UTF` and `UCP`.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `$` matches only at the very end of the subject, never before a final newline
        /// (the semantics of Rust's `regex` crate, which tiktoken uses).
        public static let dollarEndOnly = Options(rawValue: PCRE2_DOLLAR_ENDONLY)
    }

    /// The pattern as given.
    public let pattern: String
    /// Whether the pattern was JIT-compiled (matching then skips the interpreter).
    public let isJITCompiled: Bool

    let code: OpaquePointer

    /// Compiles `pattern`.
    /// - Throws: ``RegexError/compile(message:offset:)`` with PCRE2's message and the byte offset.
    public init(_ pattern: String, options: Options = []) throws(RegexError) {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset = 0
        let flags = PCRE2_UTF | PCRE2_UCP | options.rawValue
        let compiled: OpaquePointer? = pattern.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                pcre2_compile_8(bytes.baseAddress, bytes.count - 1, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw RegexError.compile(message: Regex.message(for: errorCode), offset: errorOffset)
        }
        code = compiled
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// A new matcher for use on one thread at a time.
    public func makeMatcher() -> Matcher { Matcher(regex: self) }

    /// The Unicode version of the linked PCRE2's property tables (`"14.0.0"` for Debian 12's 10.42).
    public static let unicodeVersion: String = {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = pcre2_config_8(UInt32(PCRE2_CONFIG_UNICODE_VERSION), &buffer)
        guard count > 1 else { return "" }
        return String(decoding: buffer[0..<Int(count - 1)], as: UTF8.self)
    }()

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        guard count > 0 else { return "PCRE2 error \(errorCode)" }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}

/// Errors from compiling or matching a pattern.
public enum RegexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern does not compile: PCRE2's message and the byte offset in the pattern.
    case compile(message: String, offset: Int)
    /// Matching failed for a reason other than "no match" (resource limits, for example).
    case match(message: String)

    public var description: String {
        switch self {
        case let .compile(message, offset): return "pattern does not compile at byte \(offset): \(message)"
        case let .match(message): return "pattern matching failed: \(message)"
        }
    }
}
