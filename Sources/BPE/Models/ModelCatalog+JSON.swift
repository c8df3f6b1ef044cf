extension ModelCatalog {
    /// The catalog shipped with the library: `Vocab/models.json` of this release.
    public static let builtIn: ModelCatalog = {
        do {
            return try ModelCatalog(json: builtInJSON)
        } catch {
            // The embedded text is checked by the tests against Vocab/models.json and parsed by them.
            preconditionFailure("the embedded model catalog does not parse: \(error)")
        }
    }()

    /// A catalog from the text of a models file, `{"models": [{"name", "encoding", …}]}` (see
    /// `Vocab/models.json`): `name` and `encoding` are required; `aliases`, `prefixes` and `sources`
    /// are lists of strings; `contextWindow`, `maxInputTokens` and `maxOutputTokens` integers or
    /// null; `chat` one of `harmony`, `estimate`, `none` (default `none`).
    /// - Throws: ``ModelCatalogError`` saying which entry and field is wrong.
    public init(json: String) throws(ModelCatalogError) {
        let root: JSONValue
        do { root = try JSONValue.parse(json) } catch { throw ModelCatalogError("\(error)") }
        guard let entries = root["models"]?.arrayValue else { throw ModelCatalogError("no \"models\" list") }
        var models = [ModelInfo]()
        for (index, entry) in entries.enumerated() {
            func fail(_ what: String) -> ModelCatalogError { ModelCatalogError("models[\(index)]: \(what)") }
            guard entry.objectValue != nil else { throw fail("not an object") }
            guard let name = entry["name"]?.stringValue, !name.isEmpty else { throw fail("no \"name\"") }
            guard let encoding = entry["encoding"]?.stringValue else { throw fail("\(name): no \"encoding\"") }
            func strings(_ key: String) throws(ModelCatalogError) -> [String] {
                guard let value = entry[key], !value.isNull else { return [] }
                guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count else {
                    throw fail("\(name): \"\(key)\" is not a list of strings")
                }
                return list
            }
            func count(_ key: String) throws(ModelCatalogError) -> Int? {
                guard let value = entry[key], !value.isNull else { return nil }
                guard let number = value.intValue, number > 0 else { throw fail("\(name): \"\(key)\" is not a positive integer") }
                return number
            }
            let chatName = entry["chat"]?.stringValue ?? "none"
            guard let chat = ModelInfo.ChatFormat(rawValue: chatName) else {
                throw fail("\(name): \"chat\" is \"\(chatName)\", not harmony, estimate or none")
            }
            models.append(ModelInfo(name: name, aliases: try strings("aliases"), prefixes: try strings("prefixes"),
                                    encoding: encoding, contextWindow: try count("contextWindow"),
                                    maxInputTokens: try count("maxInputTokens"), maxOutputTokens: try count("maxOutputTokens"),
                                    chat: chat, sources: try strings("sources")))
        }
        try self.init(models: models)
    }
}
