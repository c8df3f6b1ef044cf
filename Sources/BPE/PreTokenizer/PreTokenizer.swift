import PCRE2
import Synchronization

/// Splits UTF-8 text into pieces (byte ranges) with an encoding's pattern, on PCRE2.
///
/// Sendable: matchers (PCRE2 match data and JIT stack) are kept in a small pool and lent to one
/// caller at a time, so concurrent encodes on one `Encoding` never share a matcher.
public final class PreTokenizer: Sendable {
    /// Which splitter runs.
    public enum Engine: Sendable {
        /// The hand-written scanner for a built-in pattern, PCRE2 for any other (the default).
        case automatic
        /// PCRE2 always (the reference the scanners are tested against).
        case pcre2
    }

    /// What becomes of text that no alternative of a custom pattern matches.
    public enum UnmatchedText: Sendable {
        /// Each run of it is a piece of its own, as Hugging Face's `Split` with `Isolated` keeps
        /// it: nothing is lost, decoding gives back the input (the default).
        case ownPiece
        /// It is skipped, as tiktoken's `find_iter` does: the ids equal tiktoken's with the same
        /// pattern, and that text is lost.
        case dropped
    }

    /// The pattern as given (tiktoken's spelling).
    public let pattern: String
    /// What becomes of text no alternative matches (never any for the built-in patterns).
    public let unmatchedText: UnmatchedText
    /// PCRE2's compiled pattern; not compiled when a scanner splits (it would only cost load time).
    let regex: Regex?
    let scanner: Scanner?
    /// A Hugging Face pipeline (``PreTokenizer/init(steps:description:)``), instead of one pattern.
    let steps: [Step]?
    private let pool = Mutex<[Matcher]>([])

    /// Compiles `pattern` with `$` meaning end of text only (as in Rust's `regex`) and the Unicode
    /// classes of tiktoken's Unicode version (see ``Pattern/expandingUnicodeClasses(_:pcre2UnicodeVersion:)``).
    /// The built-in patterns are split by hand-written scanners that give exactly PCRE2's pieces.
    public convenience init(pattern: String, engine: Engine = .automatic, unmatchedText: UnmatchedText = .ownPiece) throws(RegexError) {
        let scanner = engine == .automatic ? Scanner(pattern: pattern) : nil
        let regex = scanner == nil ? try Regex(Pattern.expandingUnicodeClasses(pattern), options: .dollarEndOnly) : nil
        self.init(pattern: pattern, scanner: scanner, regex: regex, steps: nil, unmatchedText: unmatchedText)
    }

    init(pattern: String, scanner: Scanner?, regex: Regex?, steps: [Step]?, unmatchedText: UnmatchedText = .ownPiece) {
        self.pattern = pattern
        self.unmatchedText = unmatchedText
        self.scanner = scanner
        self.regex = regex
        self.steps = steps
    }

    /// Calls `body` with the byte range of every piece of `text`, in order.
    ///
    /// The pieces cover the text. Bytes no alternative of a pattern matches (never the case for
    /// the built-in patterns, which match every character) are a piece of their own, each run of
    /// them one piece, as Hugging Face's `Split` with `Isolated` keeps them. tiktoken skips such
    /// bytes, which loses text; here they are encoded, so decoding gives back the input, unless
    /// ``unmatchedText`` is ``UnmatchedText/dropped``.
    /// - Precondition: `text` is valid UTF-8.
    /// - Complexity: O(n) for the built-in patterns.
    @inline(__always)
    public func forEachPiece(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) throws {
        if let scanner { return try scanner.forEachPiece(in: text, body) }
        guard regex != nil else { return try stepPieces(text, steps ?? []).forEach(body) }
        if unmatchedText == .dropped { return try forEachMatch(in: text, body) }
        var covered = 0
        try forEachMatch(in: text) { match in
            if match.lowerBound > covered { try body(covered..<match.lowerBound) }
            try body(match)
            covered = match.upperBound
        }
        if covered < text.count { try body(covered..<text.count) }
    }

    /// Calls `body` with every match of the pattern in `text`, in order, skipping what no
    /// alternative matches (tiktoken's `find_iter`; a `Split` step's matches).
    /// - Precondition: `text` is valid UTF-8; the pattern is not a pipeline of steps.
    @inline(__always)
    func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) throws {
        if let scanner { return try scanner.forEachPiece(in: text, body) }
        guard let regex else { return }
        let matcher = pool.withLock { $0.popLast() } ?? regex.makeMatcher()
        defer { pool.withLock { if $0.count < 64 { $0.append(matcher) } } }
        try matcher.forEachMatch(in: text, body)
    }

    /// The byte ranges of `text` that no alternative of the pattern matches: empty for the
    /// built-in patterns and every tokenizer.json pipeline; for a custom pattern, the text that
    /// tiktoken would drop (see ``unmatchedText``).
    public func unmatchedRanges(_ text: String) throws -> [Range<Int>] {
        guard scanner == nil, regex != nil else { return [] }
        var text = text
        return try text.withUTF8 { buffer in
            var gaps = [Range<Int>]()
            var covered = 0
            try forEachMatch(in: buffer) { match in
                if match.lowerBound > covered { gaps.append(covered..<match.lowerBound) }
                covered = match.upperBound
            }
            if covered < buffer.count { gaps.append(covered..<buffer.count) }
            return gaps
        }
    }

    /// The pieces of `text` as byte ranges.
    public func pieces(_ text: String) throws -> [Range<Int>] {
        var text = text
        return try text.withUTF8 { buffer in
            var ranges = [Range<Int>]()
            try forEachPiece(in: buffer) { ranges.append($0) }
            return ranges
        }
    }
}
