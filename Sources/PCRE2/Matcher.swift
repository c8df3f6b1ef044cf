import CPCRE2

/// Matches one ``Regex`` against UTF-8 subjects; owns PCRE2 match data and a JIT stack.
///
/// Not thread-safe: use one matcher on one thread at a time (it is `Sendable` only so that a pool
/// can hand it from thread to thread; ``Regex/makeMatcher()`` makes a new one). The subject must be valid
/// UTF-8 — it is never re-validated (`PCRE2_NO_UTF_CHECK`, or `pcre2_jit_match`, which does not
/// check), so the cost of a match is the cost of the bytes it looks at, not of the whole subject.
public final class Matcher: @unchecked Sendable {
    public let regex: Regex
    private let matchData: OpaquePointer
    private let jitStack: OpaquePointer?

    /// The largest JIT stack a matcher may grow to.
    static let maximumJITStack = 8 << 20

    init(regex: Regex) {
        self.regex = regex
        // One ovector pair is all we read (the whole match).
        matchData = pcre2_match_data_create_8(1, nil)
        jitStack = regex.isJITCompiled ? pcre2_jit_stack_create_8(32 << 10, Matcher.maximumJITStack, nil) : nil
        context = pcre2_match_context_create_8(nil)
        if let jitStack, let context { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    private let context: OpaquePointer?

    deinit {
        if let context { pcre2_match_context_free_8(context) }
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_data_free_8(matchData)
    }

    /// The first match in `subject` starting at or after byte `offset`, as a byte range.
    ///
    /// - Precondition: `subject` is valid UTF-8 and `offset` is on a character boundary.
    /// - Complexity: proportional to the bytes the pattern inspects.
    @inline(__always)
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from offset: Int) throws(RegexError) -> Range<Int>? {
        assert(offset >= 0 && offset <= subject.count)
        // A zero-length subject still needs a valid pointer for PCRE2.
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let rc: Int32
        if regex.isJITCompiled {
            rc = pcre2_jit_match_8(regex.code, base, subject.count, offset, 0, matchData, context)
        } else {
            rc = pcre2_match_8(regex.code, base, subject.count, offset, PCRE2_NO_UTF_CHECK, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        guard rc > 0 else { throw RegexError.match(message: Regex.message(for: rc)) }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        return ovector[0]..<ovector[1]
    }

    /// Calls `body` with every non-overlapping match of the pattern in `subject`, left to right.
    ///
    /// Empty matches are skipped and the search resumes one character later, as Rust's
    /// `find_iter` does, so the loop always terminates.
    /// - Precondition: `subject` is valid UTF-8.
    /// - Complexity: O(n) calls into PCRE2 for an n-byte subject.
    @inline(__always)
    public func forEachMatch(
        in subject: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>) throws -> Void
    ) throws {
        var offset = 0
        while offset < subject.count, let range = try firstMatch(in: subject, from: offset) {
            if range.isEmpty {
                offset = range.lowerBound + 1
                while offset < subject.count, subject[offset] & 0xC0 == 0x80 { offset += 1 }
                continue
            }
            try body(range)
            offset = range.upperBound
        }
    }
}
