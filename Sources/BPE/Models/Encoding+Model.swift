extension Encoding {
    /// The encoding `model` tokenizes with, by the built-in ``ModelCatalog``: an exact name, else
    /// the longest matching prefix, as tiktoken's `encoding_for_model` (`gpt-4o-mini` and
    /// `gpt-4o-2024-08-06` → `o200k_base`, `gpt-oss-20b` → `o200k_harmony`, `gpt-4-0613` →
    /// `cl100k_base`; tiktoken's `gpt2` encoding is `r50k_base`).
    /// - Throws: ``UnknownModelError`` listing close names, or what ``named(_:vocabularyDirectory:)`` throws.
    public static func forModel(_ model: String, vocabularyDirectory: String? = nil) throws -> Encoding {
        try named(ModelCatalog.builtIn.model(named: model).encoding, vocabularyDirectory: vocabularyDirectory)
    }
}
