/// Reading a `tokenizer.json` through a kept copy of what parsing it made, so that loading it
/// again skips the JSON and the merges: `FILE.bpecache` (the vocabulary, as `VocabularyCache`
/// keeps a `.tiktoken`'s) and `FILE.bpecomponents` (the file without its vocabulary and merges, as
/// JSON, with the source's size, modification time and sha256); `FILE.bpeindex` holds the
/// long-piece index once a long piece needed it.
///
/// Only a file that merges as tiktoken does (``HuggingFaceTokenizerFile/isTiktokenEquivalent``) is
/// kept, since the copy holds no merges list. Both kept files must match the source's size and
/// modification time and name the same sha256 (and the pinned one, when given); otherwise the
/// source is parsed again and the copies rewritten. A damaged copy is ignored.
extension HuggingFaceTokenizerFile {
    /// The file at `path`, through its kept copy when that is valid.
    /// - Throws: ``VocabularyError`` as ``init(json:source:expectedSHA256:)``.
    public static func read(path: String, expectedSHA256: String? = nil) throws(VocabularyError) -> HuggingFaceTokenizerFile {
        if let cached = cached(path: path, expectedSHA256: expectedSHA256) { return cached }
        let data = try FileBytes.read(path)
        // The digest and the parse are independent: on two threads (the pin is still checked first).
        enum Part: Sendable {
            case digest(Result<String, VocabularyError>)
            case root(Result<JSONValue, VocabularyError>)
        }
        let parts = concurrentMap(count: 2, threads: 2) { index -> Part in
            index == 0
                ? .digest(Result { () throws(VocabularyError) in try SHA256.checkedHexDigest(data, expected: expectedSHA256, source: path) })
                : .root(Result { () throws(VocabularyError) in try JSONValue.parse(tokenizerFile: data, source: path) })
        }
        guard case let .digest(digest) = parts[0], case let .root(root) = parts[1] else { preconditionFailure("two parts, in order") }
        return try kept(root: root.get(), sha256: digest.get(), path: path)
    }

    /// The file of the parsed `root` read from `path`, kept next to it when it merges as tiktoken does.
    static func kept(root: JSONValue, sha256 digest: String, path: String) throws(VocabularyError) -> HuggingFaceTokenizerFile {
        let file = try HuggingFaceTokenizerFile(root: root, sha256: digest, source: path)
        if file.isTiktokenEquivalent { store(file, root: root, path: path) }
        file.keepIndex(path: path)
        return file
    }

    /// The long-piece index of a file that merges as tiktoken does is kept next to it too
    /// (`FILE.bpeindex`, as for a `.tiktoken`), so a process does not build it again.
    func keepIndex(path: String) {
        if isTiktokenEquivalent { vocabulary.table.backtrackingIndexFile.withLock { $0 = (path, vocabulary.sha256) } }
    }

    static func componentsPath(_ path: String) -> String { path + ".bpecomponents" }

    static func cached(path: String, expectedSHA256: String?) -> HuggingFaceTokenizerFile? {
        guard let stamp = VocabularyCache.stamp(path),
              let data = try? FileBytes.read(componentsPath(path)),
              let kept = try? JSONValue.parse(data),
              let sha = kept["sha256"]?.stringValue,
              kept["source"] == stampJSON(stamp),
              expectedSHA256.map({ $0.lowercased() == sha }) ?? true,
              let components = kept["tokenizer"],
              let vocabulary = VocabularyCache.load(source: path, expectedSHA256: sha) else { return nil }
        let file = try? HuggingFaceTokenizerFile(cached: vocabulary, components: components, source: path)
        file?.keepIndex(path: path)
        return file
    }

    static func store(_ file: HuggingFaceTokenizerFile, root: JSONValue, path: String) {
        guard let stamp = VocabularyCache.stamp(path), case var .object(members) = root else { return }
        // The model without its vocabulary and merges.
        members = members.map { key, value in
            guard key == "model", case let .object(model) = value else { return (key, value) }
            return (key, .object(model.filter { $0.0 != "vocab" && $0.0 != "merges" }))
        }
        VocabularyCache.store(file.vocabulary, source: path)
        let kept = JSONValue.object([("source", stampJSON(stamp)), ("sha256", .string(file.vocabulary.sha256)),
                                     ("tokenizer", .object(members))])
        let bytes = Array(kept.compact.utf8)
        _ = bytes.withUnsafeBytes { POSIX.writeAtomically($0, to: componentsPath(path)) }
    }

    private static func stampJSON(_ stamp: VocabularyCache.SourceStamp) -> JSONValue {
        .array([.number(String(stamp.size)), .number(String(stamp.seconds)), .number(String(stamp.nanoseconds))])
    }
}
