extension Encoding {
    /// An encoding from a tokenizer file, whatever its kind, read by its contents:
    /// - Mistral's Tekken JSON (``TekkenFile``: pattern and special tokens from the file);
    /// - a tiktoken-format rank file (`.tiktoken`, Llama's `tokenizer.model`), split with `pattern`
    ///   (default o200k's), without special tokens.
    ///
    /// A Hugging Face `tokenizer.json` is refused with an error that says so (its loader is not
    /// built yet), never approximated.
    /// - Throws: ``VocabularyError`` naming the file and what is wrong, or ``EncodingSetupError``.
    public static func load(tokenizerFile path: String, pattern: String? = nil, name: String? = nil) throws -> Encoding {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let data = try FileBytes.read(path)
        guard data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "{") else {
            return try custom(name: name ?? base, vocabularyFile: path, pattern: pattern ?? Pattern.o200k)
        }
        if pattern != nil {
            throw VocabularyError(file: path, problem: .invalidJSON(path: "$", message: "a JSON tokenizer file brings its own pattern; --pattern goes with a .tiktoken file"))
        }
        let root = try TekkenFile.parse(data, source: path)
        if root["model"] != nil && root["config"] == nil {
            throw VocabularyError(file: path, problem: .invalidJSON(
                path: "$.model", message: "a Hugging Face tokenizer.json; this version reads tiktoken rank files and Tekken JSON only"))
        }
        let tekken = try TekkenFile(root: root, sha256: SHA256.hexDigest(data), source: path)
        return try Encoding(name: name ?? base, vocabulary: tekken.vocabulary, pattern: tekken.pattern,
                            specialTokens: tekken.specialTokens)
    }
}
