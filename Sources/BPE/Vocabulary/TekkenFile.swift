/// Mistral's Tekken tokenizer file (`tekken_240911.json` and the like), read as mistral-common's
/// `Tekkenizer.from_file` reads it.
///
/// Definitions: the file's `vocab` lists tokens by rank (`rank`, base64 `token_bytes`); `config`
/// gives the pattern, `default_vocab_size` and `default_num_special_tokens` (n). Invariants: only
/// the first `default_vocab_size - n` tokens are used, ordinary ids are rank + n, and ids below n
/// are the special tokens — the file's `special_tokens`, or for files up to version v7 Tekken's
/// twenty defaults, then `<SPECIAL_i>` up to n. Mistral's tokenizer never matches special-token
/// text in user text; here such text is plain text too unless the caller allows it.
public struct TekkenFile: Sendable {
    /// The ordinary tokens, with ids = rank + ``specialTokenCount``.
    public let vocabulary: Vocabulary
    /// The pre-tokenizer pattern (`config.pattern`).
    public let pattern: String
    /// Special tokens by text; their ids are below ``specialTokenCount``.
    public let specialTokens: [String: Rank]
    /// `config.default_num_special_tokens`: the ids reserved for special tokens.
    public let specialTokenCount: Int
    /// `config.version`, for example `v3`.
    public let version: String

    /// The twenty special tokens of Tekken files that do not list their own (versions up to v7).
    public static let defaultSpecialTokens = [
        "<unk>", "<s>", "</s>", "[INST]", "[/INST]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]",
        "[/TOOL_RESULTS]", "[TOOL_CALLS]", "[IMG]", "<pad>", "[IMG_BREAK]", "[IMG_END]", "[PREFIX]", "[MIDDLE]",
        "[SUFFIX]", "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]", "[TOOL_CONTENT]",
    ]

    /// The special tokens of a file that lists `listed` (text, id) and reserves `count` ids.
    static func specialTokens(listed: [(String, Rank)], count: Int) -> [String: Rank] {
        var tokens = [String: Rank]()
        for (text, id) in listed { tokens[text] = id }
        for id in listed.count..<max(count, listed.count) { tokens["<SPECIAL_\(id)>"] = Rank(id) }
        return tokens
    }

    /// Reads a Tekken file's bytes.
    /// - Throws: ``VocabularyError``: `sha256Mismatch` when `expectedSHA256` differs, and
    ///   `invalidJSON` with the JSON path of what is missing or wrong.
    /// - Complexity: O(n) in the file size.
    public init(json data: [UInt8], source: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let digest = try SHA256.checkedHexDigest(data, expected: expectedSHA256, source: source)
        try self.init(root: JSONValue.parse(tokenizerFile: data, source: source), sha256: digest, source: source)
    }

    /// A Tekken file from its parsed JSON.
    init(root: JSONValue, sha256 digest: String, source: String) throws(VocabularyError) {
        func fail(_ path: String, _ message: String) -> VocabularyError {
            VocabularyError(file: source, problem: .invalidJSON(path: path, message: message))
        }
        guard let config = root["config"], case .object = config else { throw fail("$.config", "missing (not a Tekken file)") }
        guard let pattern = config["pattern"]?.stringValue else { throw fail("$.config.pattern", "missing or not a string") }
        guard let vocabSize = config["default_vocab_size"]?.intValue, vocabSize > 0 else {
            throw fail("$.config.default_vocab_size", "missing or not a positive integer")
        }
        guard let specialCount = config["default_num_special_tokens"]?.intValue, specialCount >= 0, specialCount < vocabSize else {
            throw fail("$.config.default_num_special_tokens", "missing, negative or not below default_vocab_size")
        }
        let version = config["version"]?.stringValue ?? ""
        guard let vocab = root["vocab"]?.arrayValue else { throw fail("$.vocab", "missing or not an array") }
        let used = vocabSize - specialCount
        guard vocab.count >= used else {
            throw fail("$.vocab", "\(vocab.count) tokens, fewer than default_vocab_size - default_num_special_tokens = \(used)")
        }
        var arena = [UInt8]()
        var entries = [Vocabulary.Entry]()
        entries.reserveCapacity(used)
        for index in 0..<used {
            let path = "$.vocab[\(index)]"
            guard vocab[index]["rank"]?.intValue == index else { throw fail(path + ".rank", "expected \(index)") }
            guard var text = vocab[index]["token_bytes"]?.stringValue else { throw fail(path + ".token_bytes", "missing or not a string") }
            let offset = arena.count
            let decoded = text.withUTF8 { Base64.decode($0, into: &arena) }
            guard decoded, arena.count > offset else { throw fail(path + ".token_bytes", "not base64 of one or more bytes") }
            entries.append((UInt32(offset), UInt32(arena.count - offset), Rank(index + specialCount)))
        }
        let table: RankTable
        do {
            table = try Vocabulary.makeTable(arena: arena, entries: entries)
        } catch {
            switch error {
            case .tooSparse: throw fail("$.vocab", "too many tokens")
            case let .duplicateRank(_, entry, _): throw fail("$.vocab[\(entry)]", "duplicate rank")
            case let .duplicateToken(entry, first): throw fail("$.vocab[\(entry)]", "duplicate token (already $.vocab[\(first)])")
            case let .missingByte(byte): throw fail("$.vocab", "byte 0x\(String(byte, radix: 16, uppercase: true)) is not a token")
            }
        }
        var listed = [(String, Rank)]()
        if let special = root["special_tokens"], !special.isNull {
            guard let items = special.arrayValue else { throw fail("$.special_tokens", "not an array") }
            for (index, item) in items.enumerated() {
                guard let text = item["token_str"]?.stringValue, !text.isEmpty, let rank = item["rank"]?.intValue,
                      rank >= 0, rank < specialCount else {
                    throw fail("$.special_tokens[\(index)]", "needs token_str and a rank below \(specialCount)")
                }
                guard !listed.contains(where: { $0.0 == text }) else { throw fail("$.special_tokens[\(index)]", "duplicate token_str") }
                listed.append((text, Rank(rank)))
            }
        } else if let number = Int(version.dropFirst()), version.hasPrefix("v"), number > 7 {
            throw fail("$.special_tokens", "missing; Tekken files after v7 list their special tokens")
        } else {
            listed = TekkenFile.defaultSpecialTokens.enumerated().map { ($0.element, Rank($0.offset)) }
        }
        guard listed.count <= specialCount else { throw fail("$.special_tokens", "more than default_num_special_tokens") }
        vocabulary = Vocabulary(table: table, sha256: digest)
        self.pattern = pattern
        specialTokens = TekkenFile.specialTokens(listed: listed, count: specialCount)
        specialTokenCount = specialCount
        self.version = version
    }
}
