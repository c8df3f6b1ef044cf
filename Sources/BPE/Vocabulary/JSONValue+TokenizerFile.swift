extension JSONValue {
    /// The JSON of a tokenizer file (Tekken or `tokenizer.json`), or a ``VocabularyError`` naming
    /// the file and the syntax error's place.
    static func parse(tokenizerFile data: [UInt8], source: String) throws(VocabularyError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw VocabularyError(file: source, problem: .invalidJSON(path: "$", message: error.description))
        }
    }
}
