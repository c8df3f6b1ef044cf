/// What is wrong with a vocabulary file or where to get one.
public struct VocabularyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of problem, each with what is needed to fix it.
    public enum Problem: Equatable, Sendable {
        /// The file holds no tokens.
        case empty
        /// A line has a token but no rank after it.
        case missingRank
        /// The rank is not a decimal number below 2³¹.
        case badRank(String)
        /// The token is not valid base64.
        case badBase64(String)
        /// The same token bytes were given a rank on an earlier line.
        case duplicateToken(firstLine: Int)
        /// The same rank was given to another token on an earlier line.
        case duplicateRank(Rank, firstLine: Int)
        /// Ranks must be dense enough to index: the largest is far above the token count.
        case ranksTooSparse(maxRank: Rank, count: Int)
        /// A byte-level BPE needs every single byte as a token.
        case missingByte(UInt8)
        /// The file's sha256 is not the pinned one.
        case sha256Mismatch(expected: String, actual: String)
        /// The file could not be read.
        case unreadable(String)
        /// No copy of the file was found.
        case notFound(searched: [String])
        /// A cached compact table is damaged (it is rebuilt from the source file).
        case corruptCache(String)
        /// A JSON tokenizer file is not what it should be at `path` (JSONPath, `$` the whole file).
        case invalidJSON(path: String, message: String)
    }

    /// The file (or a name for in-memory data).
    public let file: String
    /// The 1-based line, when the problem is on one line.
    public let line: Int?
    /// What is wrong.
    public let problem: Problem

    /// An error about `file` (at `line`, when it is about one line).
    public init(file: String, line: Int? = nil, problem: Problem) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// How to get a good copy of the built-in vocabularies.
    public static let fixHint = "run `swift run bpe fetch` (in the swift-bpe checkout or a package that depends on it) to fetch the pinned files into the user cache, or set BPE_VOCAB_DIR to a folder that holds them"

    /// One line: the file, the line, the problem and the fix.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        switch problem {
        case .empty: return "\(place): the vocabulary file holds no tokens"
        case .missingRank: return "\(place): a token without a rank (expected `BASE64 RANK`)"
        case let .badRank(text): return "\(place): rank `\(text)` is not a decimal number below 2^31"
        case let .badBase64(text): return "\(place): token `\(text)` is not valid base64"
        case let .duplicateToken(first): return "\(place): duplicate token (already on line \(first))"
        case let .duplicateRank(rank, first): return "\(place): duplicate rank \(rank) (already on line \(first))"
        case let .ranksTooSparse(maxRank, count):
            return "\(place): largest rank \(maxRank) is far above the \(count) tokens; ranks must be nearly dense"
        case let .missingByte(byte):
            return "\(place): byte 0x\(String(byte, radix: 16, uppercase: true)) is not a token; a byte-level BPE needs all 256 single bytes"
        case let .sha256Mismatch(expected, actual):
            return "\(place): sha256 is \(actual), expected \(expected): the file is corrupt or another version; \(Self.fixHint)"
        case let .unreadable(reason): return "\(place): cannot read: \(reason)"
        case let .notFound(searched):
            return "vocabulary \(place) not found (looked in: \(searched.joined(separator: ", "))); run `swift run bpe fetch \(file)` (in the swift-bpe checkout or a package that depends on it) to fetch it into the user cache, or set BPE_VOCAB_DIR to a folder that holds it"
        case let .corruptCache(reason): return "\(place): damaged cache: \(reason)"
        case let .invalidJSON(path, message): return "\(place): \(path): \(message)"
        }
    }
}
