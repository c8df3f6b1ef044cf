extension Encoding {
    /// An encoding from a tokenizer file, whatever its kind, read by its contents:
    /// - a Hugging Face `tokenizer.json` for byte-level BPE (``HuggingFaceTokenizerFile``: its
    ///   normaliser, pre-tokenizers, merges and added tokens; a component it does not support is
    ///   an error naming it);
    /// - Mistral's Tekken JSON (``TekkenFile``: pattern and special tokens from the file);
    /// - a tiktoken-format rank file (`.tiktoken`, Llama's `tokenizer.model`), split with `pattern`
    ///   (default o200k's), without special tokens; text no alternative of `pattern` matches
    ///   becomes what `unmatchedText` says.
    /// - Throws: ``VocabularyError`` naming the file and what is wrong, or ``EncodingSetupError``.
    public static func load(tokenizerFile path: String, pattern: String? = nil, name: String? = nil,
                            unmatchedText: PreTokenizer.UnmatchedText = .ownPiece) throws -> Encoding {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if pattern == nil, let cached = HuggingFaceTokenizerFile.cached(path: path, expectedSHA256: nil) {
            return try huggingFace(cached, name: name ?? base)
        }
        let data = try FileBytes.read(path)
        guard data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "{") else {
            return try custom(name: name ?? base, vocabularyFile: path, pattern: pattern ?? Pattern.o200k, unmatchedText: unmatchedText)
        }
        if pattern != nil {
            throw VocabularyError(file: path, problem: .invalidJSON(path: "$", message: "a JSON tokenizer file brings its own pattern; --pattern goes with a .tiktoken file"))
        }
        let root = try JSONValue.parse(tokenizerFile: data, source: path)
        if root["model"] != nil && root["config"] == nil {
            return try huggingFace(HuggingFaceTokenizerFile.kept(root: root, sha256: SHA256.hexDigest(data), path: path),
                                   name: name ?? base)
        }
        let tekken = try TekkenFile(root: root, sha256: SHA256.hexDigest(data), source: path)
        // mistral-common's `encode(…, bos=True)` puts `<s>` first.
        return try Encoding(name: name ?? base, vocabulary: tekken.vocabulary, pattern: tekken.pattern,
                            specialTokens: tekken.specialTokens, postProcessor: PostProcessor(prefix: tekken.specialTokens["<s>"].map { [$0] } ?? []))
    }
}

extension Encoding {
    /// The encoding of a read `tokenizer.json`.
    static func huggingFace(_ file: HuggingFaceTokenizerFile, name: String) throws(EncodingSetupError) -> Encoding {
        try Encoding(name: name, vocabulary: file.vocabulary, preTokenizer: file.preTokenizer, specialTokens: file.specialTokens,
                     normalizer: file.normalizer, huggingFace: HuggingFacePipeline(file: file))
    }
}
