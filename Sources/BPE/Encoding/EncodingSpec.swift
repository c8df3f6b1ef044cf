/// What defines a built-in encoding: its vocabulary file (with the pinned sha256), pattern and
/// special tokens — the same as tiktoken 0.14's `tiktoken_ext.openai_public`.
public struct EncodingSpec: Sendable, Equatable {
    /// The registry name, for example `o200k_base`.
    public let name: String
    /// The file name of the vocabulary (looked up by ``VocabularyLocator``).
    public let vocabularyFile: String
    /// The pinned lowercase sha256 of that file (also in `Vocab/manifest.json`).
    public let sha256: String
    /// The pre-tokenizer pattern, in tiktoken's spelling.
    public let pattern: String
    /// Special-token texts and their ids.
    public let specialTokens: [String: Rank]

    /// A spec; `sha256` pins the vocabulary file's contents.
    public init(name: String, vocabularyFile: String, sha256: String, pattern: String, specialTokens: [String: Rank]) {
        self.name = name
        self.vocabularyFile = vocabularyFile
        self.sha256 = sha256
        self.pattern = pattern
        self.specialTokens = specialTokens
    }
}

extension EncodingSpec {
    static let o200kSHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
    static let endOfText = "<|endoftext|>"
    static let endOfPrompt = "<|endofprompt|>"

    /// GPT-4o's encoding.
    public static let o200kBase = EncodingSpec(
        name: "o200k_base", vocabularyFile: "o200k_base.tiktoken", sha256: o200kSHA256,
        pattern: Pattern.o200k, specialTokens: [endOfText: 199_999, endOfPrompt: 200_018])

    /// gpt-oss: o200k ranks with the harmony control tokens and reserved ids up to 201087.
    public static let o200kHarmony: EncodingSpec = {
        var special: [String: Rank] = [
            endOfPrompt: 200_018,
            "<|startoftext|>": 199_998, endOfText: 199_999, "<|return|>": 200_002, "<|constrain|>": 200_003,
            "<|channel|>": 200_005, "<|start|>": 200_006, "<|end|>": 200_007, "<|message|>": 200_008,
            "<|call|>": 200_012,
        ]
        for id: Rank in [200_000, 200_001, 200_004, 200_009, 200_010, 200_011] { special["<|reserved_\(id)|>"] = id }
        for id: Rank in 200_013...201_087 { special["<|reserved_\(id)|>"] = id }
        return EncodingSpec(name: "o200k_harmony", vocabularyFile: "o200k_base.tiktoken", sha256: o200kSHA256,
                            pattern: Pattern.o200k, specialTokens: special)
    }()

    /// GPT-4's encoding.
    public static let cl100kBase = EncodingSpec(
        name: "cl100k_base", vocabularyFile: "cl100k_base.tiktoken",
        sha256: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7", pattern: Pattern.cl100k,
        specialTokens: [endOfText: 100_257, "<|fim_prefix|>": 100_258, "<|fim_middle|>": 100_259,
                        "<|fim_suffix|>": 100_260, endOfPrompt: 100_276])

    /// Codex's encoding (r50k plus runs of spaces).
    public static let p50kBase = EncodingSpec(
        name: "p50k_base", vocabularyFile: "p50k_base.tiktoken",
        sha256: "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069", pattern: Pattern.r50k,
        specialTokens: [endOfText: 50_256])

    /// GPT-2's encoding.
    public static let r50kBase = EncodingSpec(
        name: "r50k_base", vocabularyFile: "r50k_base.tiktoken",
        sha256: "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930", pattern: Pattern.r50k,
        specialTokens: [endOfText: 50_256])

    /// Every built-in encoding, in the order `bpe` lists them.
    public static let builtIn: [EncodingSpec] = [o200kBase, o200kHarmony, cl100kBase, p50kBase, r50kBase]

    /// The built-in encoding called `name`.
    /// - Throws: ``UnknownEncodingError`` listing the known names.
    public static func named(_ name: String) throws(UnknownEncodingError) -> EncodingSpec {
        guard let spec = builtIn.first(where: { $0.name == name }) else {
            throw UnknownEncodingError(name: name, known: builtIn.map(\.name))
        }
        return spec
    }
}

/// An encoding name that is not built in.
public struct UnknownEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name asked for.
    public let name: String
    /// The names the registry knows.
    public let known: [String]
    /// One line naming the encoding and the known ones.
    public var description: String {
        "unknown encoding '\(name)'; known encodings: \(known.joined(separator: ", "))"
    }
}
