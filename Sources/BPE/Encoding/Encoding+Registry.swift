import Synchronization

extension Encoding {
    private static let loaded = Mutex<[String: Encoding]>([:])
    private static let vocabularies = Mutex<[String: Vocabulary]>([:])

    /// The built-in encoding called `name` (`o200k_base`, `o200k_harmony`, `cl100k_base`,
    /// `p50k_base`, `p50k_edit`, `r50k_base`, `llama3`, `llama4`, `qwen`, `qwen3.5`, `tekken`, `deepseek-v4`,
    /// `olmo2`, `gpt-neox`), loaded once per process and shared.
    ///
    /// The vocabulary file is found by ``VocabularyLocator`` and must match its pinned sha256.
    /// - Throws: ``UnknownEncodingError``, or ``VocabularyError`` saying what is missing or wrong
    ///   and how to fix it.
    public static func named(_ name: String, vocabularyDirectory: String? = nil) throws -> Encoding {
        let key = name + "\u{0}" + (vocabularyDirectory ?? "")
        if let cached = loaded.withLock({ $0[key] }) { return cached }
        let spec = try EncodingSpec.named(name)
        let path = try VocabularyLocator.locate(spec.vocabularyFile, explicit: vocabularyDirectory)
        let encoding = spec.format == .huggingFace
            ? try huggingFace(HuggingFaceTokenizerFile.read(path: path, expectedSHA256: spec.sha256), name: spec.name)
            : try Encoding(spec: spec, vocabulary: loadVocabulary(path: path, sha256: spec.sha256, format: spec.format))
        return loaded.withLock { cache in
            if let existing = cache[key] { return existing }
            cache[key] = encoding
            return encoding
        }
    }

    /// An encoding from a spec and an already loaded vocabulary (which must match the spec's pin).
    public convenience init(spec: EncodingSpec, vocabulary: Vocabulary) throws {
        guard vocabulary.sha256 == spec.sha256 else {
            throw VocabularyError(file: spec.vocabularyFile, problem: .sha256Mismatch(expected: spec.sha256, actual: vocabulary.sha256))
        }
        let bos = try spec.beginningOfSequence.map { name throws(EncodingSetupError) in
            guard let id = spec.specialTokens[name] else { throw EncodingSetupError.unknownSpecialToken(name) }
            return id
        }
        try self.init(name: spec.name, vocabulary: vocabulary, preTokenizer: Encoding.preTokenizer(spec.pattern),
                      specialTokens: spec.specialTokens, normalizer: spec.normalizer, huggingFace: nil,
                      postProcessor: PostProcessor(prefix: bos))
    }

    /// A custom encoding from any `.tiktoken` file, a pattern (default o200k's) and special tokens.
    public static func custom(name: String? = nil, vocabularyFile path: String, pattern: String = Pattern.o200k,
                              specialTokens: [String: Rank] = [:],
                              unmatchedText: PreTokenizer.UnmatchedText = .ownPiece) throws -> Encoding {
        let vocabulary = try loadVocabulary(path: path, sha256: nil)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return try Encoding(name: name ?? base, vocabulary: vocabulary, pattern: pattern, specialTokens: specialTokens,
                            unmatchedText: unmatchedText)
    }

    /// Reads a vocabulary once per (path, pin) per process, through its binary cache when valid
    /// (``VocabularyCache``), else by parsing the file and checking its sha256, then caching it.
    static func loadVocabulary(path: String, sha256: String?, format: EncodingSpec.Format = .tiktoken) throws(VocabularyError) -> Vocabulary {
        let key = path + "\u{0}" + (sha256 ?? "")
        if let cached = vocabularies.withLock({ $0[key] }) { return cached }
        let vocabulary: Vocabulary
        if let cached = VocabularyCache.load(source: path, expectedSHA256: sha256) {
            vocabulary = cached
        } else {
            switch format {
            case .tiktoken: vocabulary = try Vocabulary(contentsOfFile: path, expectedSHA256: sha256)
            case .huggingFace: vocabulary = try HuggingFaceTokenizerFile(json: FileBytes.read(path), source: path,
                                                                         expectedSHA256: sha256).vocabulary
            case .tekken: vocabulary = try TekkenFile(json: FileBytes.read(path), source: path, expectedSHA256: sha256).vocabulary
            }
            VocabularyCache.store(vocabulary, source: path)
        }
        vocabulary.table.backtrackingIndexFile.withLock { $0 = (path, vocabulary.sha256) }
        vocabularies.withLock { $0[key] = vocabulary }
        return vocabulary
    }
}

extension Encoding {
    /// The built-in encoding `name` with its vocabulary from `tiktokenData`, the bytes of its
    /// vocabulary file (`.tiktoken`, or Tekken's JSON for `tekken`; for an app that ships the file
    /// in its bundle), checked against the pinned sha256 like a file found on disk.
    /// - Throws: ``UnknownEncodingError``, or ``VocabularyError`` (`sha256Mismatch` for other bytes).
    public static func named(_ name: String, tiktokenData: [UInt8]) throws -> Encoding {
        let spec = try EncodingSpec.named(name)
        switch spec.format {
        case .tiktoken:
            return try Encoding(spec: spec, vocabulary: Vocabulary(tiktoken: tiktokenData, source: spec.vocabularyFile,
                                                                   expectedSHA256: spec.sha256))
        case .tekken:
            return try Encoding(spec: spec, vocabulary: TekkenFile(json: tiktokenData, source: spec.vocabularyFile,
                                                                   expectedSHA256: spec.sha256).vocabulary)
        case .huggingFace:
            return try huggingFace(HuggingFaceTokenizerFile(json: tiktokenData, source: spec.vocabularyFile, expectedSHA256: spec.sha256),
                                   name: spec.name)
        }
    }

    /// The built-in encoding `name` with its vocabulary read from the file at `vocabularyFile`
    /// (for example a bundle resource's path), checked against the pinned sha256.
    public static func named(_ name: String, vocabularyFile: String) throws -> Encoding {
        let spec = try EncodingSpec.named(name)
        if spec.format == .huggingFace {
            return try huggingFace(HuggingFaceTokenizerFile.read(path: vocabularyFile, expectedSHA256: spec.sha256), name: spec.name)
        }
        return try Encoding(spec: spec, vocabulary: loadVocabulary(path: vocabularyFile, sha256: spec.sha256, format: spec.format))
    }
}
