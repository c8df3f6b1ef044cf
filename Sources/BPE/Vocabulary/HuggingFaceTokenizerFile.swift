/// A Hugging Face `tokenizer.json` for byte-level BPE, read into the pipeline's stages: each JSON
/// component maps onto one type here, and a component this reader does not know is an error that
/// names it (with its JSONPath), never an approximation.
///
/// Supported: normalizer `null`, `NFC` or a `Sequence` of those; pre-tokenizers `Split` (regex or
/// string; every behaviour; `invert`), `ByteLevel` (`use_regex`; no `add_prefix_space`),
/// `Digits`, `Sequence`; model `BPE` over the byte-level alphabet (`vocab`, `merges` as `"a b"`
/// strings or `[a, b]` pairs, `ignore_merges`); `added_tokens` (special or not, `normalized`);
/// decoder `ByteLevel`; post-processors `ByteLevel` and `TemplateProcessing` (they only add
/// tokens when asked, and `encode` does not ask).
public struct HuggingFaceTokenizerFile: Sendable {
    /// Ordinary tokens by id, as bytes (added tokens are not in it).
    public let vocabulary: Vocabulary
    /// What text goes through first.
    public let normalizer: Normalizer?
    /// The pre-tokenizer pipeline.
    public let preTokenizer: PreTokenizer
    /// Added tokens marked special: text to id.
    public let specialTokens: [String: Rank]
    /// Added tokens not marked special, matched in the raw text (`normalized: false`).
    public let addedTokens: [String: Rank]
    /// Added tokens not marked special, matched after normalising (`normalized: true`).
    public let normalizedAddedTokens: [String: Rank]
    /// The merge stage.
    let merger: MergeListMerger

    /// Reads a `tokenizer.json`'s bytes.
    /// - Throws: ``VocabularyError``: `sha256Mismatch`, or `invalidJSON` with the JSONPath of what is
    ///   missing, wrong or not supported.
    public init(json data: [UInt8], source: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let digest = SHA256.hexDigest(data)
        if let expectedSHA256, expectedSHA256.lowercased() != digest {
            throw VocabularyError(file: source, problem: .sha256Mismatch(expected: expectedSHA256.lowercased(), actual: digest))
        }
        try self.init(root: JSONValue.parse(tokenizerFile: data, source: source), sha256: digest, source: source)
    }

    init(root: JSONValue, sha256 digest: String, source: String) throws(VocabularyError) {
        func fail(_ path: String, _ message: String) -> VocabularyError {
            VocabularyError(file: source, problem: .invalidJSON(path: path, message: message))
        }
        for key in ["truncation", "padding"] where !(root[key]?.isNull ?? true) {
            throw fail("$.\(key)", "not supported: encode gives every token")
        }
        guard let model = root["model"], case .object = model else { throw fail("$.model", "missing") }
        guard model["type"]?.stringValue ?? "BPE" == "BPE" else {
            throw fail("$.model.type", "\(model["type"]?.stringValue ?? "?") is not supported: only byte-level BPE")
        }
        if model["byte_fallback"]?.boolValue == true { throw fail("$.model.byte_fallback", "not supported: only byte-level BPE") }
        if let dropout = model["dropout"], !dropout.isNull, dropout != .number("0"), dropout != .number("0.0") {
            throw fail("$.model.dropout", "not supported: encoding is deterministic")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key], !value.isNull, value.stringValue != "" { throw fail("$.model.\(key)", "not supported") }
        }
        guard let vocab = model["vocab"]?.objectValue else { throw fail("$.model.vocab", "missing or not an object") }
        guard let mergeList = model["merges"]?.arrayValue else { throw fail("$.model.merges", "missing or not an array") }

        // Added tokens.
        var special = [String: Rank](), raw = [String: Rank](), normalized = [String: Rank]()
        var addedIDs = Set<Rank>()
        for (index, token) in (root["added_tokens"]?.arrayValue ?? []).enumerated() {
            let path = "$.added_tokens[\(index)]"
            guard let content = token["content"]?.stringValue, !content.isEmpty,
                  let id = token["id"]?.intValue, id >= 0, id < 1 << 30 else {
                throw fail(path, "needs a non-empty content and an id")
            }
            for flag in ["lstrip", "rstrip", "single_word"] where token[flag]?.boolValue == true {
                throw fail(path + ".\(flag)", "not supported yet")
            }
            let isSpecial = token["special"]?.boolValue ?? false
            let isNormalized = token["normalized"]?.boolValue ?? !isSpecial
            if isSpecial && isNormalized { throw fail(path + ".normalized", "a special token matched after normalising is not supported yet") }
            if isSpecial { special[content] = Rank(id) } else if isNormalized { normalized[content] = Rank(id) } else { raw[content] = Rank(id) }
            addedIDs.insert(Rank(id))
        }

        // The vocabulary, as bytes; added tokens decode as their text instead.
        var arena = [UInt8]()
        var entries = [Vocabulary.Entry]()
        var ids = [String: Rank]()
        ids.reserveCapacity(vocab.count)
        for (text, value) in vocab {
            guard let id = value.intValue, id >= 0, id < 1 << 30 else { throw fail("$.model.vocab[\(JSONString.quote(text))]", "not an id") }
            guard !text.isEmpty else { throw fail("$.model.vocab[\"\"]", "an empty token") }
            ids[text] = Rank(id)
            if addedIDs.contains(Rank(id)) { continue }
            let offset = arena.count
            arena += ByteLevel.decode(text)
            entries.append((UInt32(offset), UInt32(arena.count - offset), Rank(id)))
        }
        let table: RankTable
        do {
            table = try Vocabulary.makeTable(arena: arena, entries: entries, requireEveryByte: false)
        } catch {
            switch error {
            case .tooSparse: throw fail("$.model.vocab", "ids too sparse")
            case let .duplicateRank(id, _, _): throw fail("$.model.vocab", "id \(id) used twice")
            case let .duplicateToken(entry, first):
                throw fail("$.model.vocab", "two tokens with the same bytes (ids \(entries[first].rank) and \(entries[entry].rank))")
            case .missingByte: throw fail("$.model.vocab", "a byte without a token")
            }
        }

        // Merges: priority = index.
        var merges = [UInt64: UInt64]()
        merges.reserveCapacity(mergeList.count)
        var results = Set<Rank>()
        for (index, entry) in mergeList.enumerated() {
            let path = "$.model.merges[\(index)]"
            let parts: [String]
            if let text = entry.stringValue {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                parts = entry.arrayValue?.compactMap(\.stringValue) ?? []
            }
            guard parts.count == 2 else { throw fail(path, "not a pair of tokens") }
            guard let left = ids[parts[0]] else { throw fail(path, "\(JSONString.quote(parts[0])) is not in the vocabulary") }
            guard let right = ids[parts[1]] else { throw fail(path, "\(JSONString.quote(parts[1])) is not in the vocabulary") }
            guard let merged = ids[parts[0] + parts[1]] else {
                throw fail(path, "\(JSONString.quote(parts[0] + parts[1])) is not in the vocabulary")
            }
            let key = UInt64(left) << 32 | UInt64(right)
            if merges[key] != nil { continue }  // a repeated pair keeps its first priority
            guard results.insert(merged).inserted else {
                throw fail(path, "a second merge making \(JSONString.quote(parts[0] + parts[1])): not supported")
            }
            merges[key] = UInt64(index) << 32 | UInt64(merged)
        }
        let byteIDs = (0..<256).map { byte in ids[String(ByteLevel.characters[byte])] ?? RankTable.noRank }

        normalizer = try HuggingFaceTokenizerFile.normalizer(root["normalizer"], path: "$.normalizer", fail)
        preTokenizer = try HuggingFaceTokenizerFile.preTokenizer(root["pre_tokenizer"], fail)
        try HuggingFaceTokenizerFile.checkDecoder(root["decoder"], fail)
        try HuggingFaceTokenizerFile.checkPostProcessor(root["post_processor"], path: "$.post_processor", fail)
        vocabulary = Vocabulary(table: table, sha256: digest)
        specialTokens = special
        addedTokens = raw
        normalizedAddedTokens = normalized
        merger = MergeListMerger(byteIDs: byteIDs, merges: PairTable(merges),
                                 wholeTokens: model["ignore_merges"]?.boolValue == true ? table : nil)
    }

    typealias Fail = (String, String) -> VocabularyError

    static func normalizer(_ value: JSONValue?, path: String, _ fail: Fail) throws(VocabularyError) -> Normalizer? {
        guard let value, !value.isNull else { return nil }
        switch value["type"]?.stringValue {
        case "NFC": return .nfc
        case "Sequence":
            let items = value["normalizers"]?.arrayValue ?? []
            var found: Normalizer?
            for (index, item) in items.enumerated() {
                guard let one = try normalizer(item, path: path + ".normalizers[\(index)]", fail) else { continue }
                if found != nil { throw fail(path, "more than one normaliser is not supported yet") }
                found = one
            }
            return found
        case let type: throw fail(path, "normalizer \(type ?? "without a type") is not supported yet")
        }
    }

    static func preTokenizer(_ value: JSONValue?, _ fail: Fail) throws(VocabularyError) -> PreTokenizer {
        var steps = [PreTokenizer.Step]()
        var names = [String]()
        func add(_ value: JSONValue, _ path: String) throws(VocabularyError) {
            do {
                switch value["type"]?.stringValue {
                case "Sequence":
                    for (index, item) in (value["pretokenizers"]?.arrayValue ?? []).enumerated() {
                        try add(item, path + ".pretokenizers[\(index)]")
                    }
                case "ByteLevel":
                    if value["add_prefix_space"]?.boolValue == true { throw fail(path + ".add_prefix_space", "not supported yet") }
                    if value["use_regex"]?.boolValue ?? true {
                        steps.append(try .byteLevel())
                        names.append("ByteLevel")
                    }
                case "Split":
                    let pattern: String
                    if let regex = value["pattern"]?["Regex"]?.stringValue {
                        pattern = regex
                    } else if let literal = value["pattern"]?["String"]?.stringValue {
                        pattern = literal.unicodeScalars.map { "\\x{" + String($0.value, radix: 16) + "}" }.joined()
                    } else {
                        throw fail(path + ".pattern", "needs Regex or String")
                    }
                    guard let name = value["behavior"]?.stringValue, let behavior = PreTokenizer.SplitBehavior(rawValue: name) else {
                        throw fail(path + ".behavior", "not one of \(PreTokenizer.SplitBehavior.allCases.map(\.rawValue))")
                    }
                    steps.append(try PreTokenizer.Step(split: pattern, behavior: behavior, invert: value["invert"]?.boolValue ?? false))
                    names.append("Split(\(pattern), \(name)\(value["invert"]?.boolValue == true ? ", invert" : ""))")
                case "Digits":
                    let individual = value["individual_digits"]?.boolValue ?? false
                    steps.append(try .digits(individual: individual))
                    names.append("Digits")
                case let type:
                    throw fail(path, "pre-tokenizer \(type ?? "without a type") is not supported yet")
                }
            } catch let error as VocabularyError {
                throw error
            } catch {
                throw fail(path + ".pattern", "the regex does not compile: \(error)")
            }
        }
        if let value, !value.isNull { try add(value, "$.pre_tokenizer") }
        return PreTokenizer(steps: steps, description: names.joined(separator: " → "))
    }

    static func checkDecoder(_ value: JSONValue?, _ fail: Fail) throws(VocabularyError) {
        guard let value, !value.isNull else { return }
        guard value["type"]?.stringValue == "ByteLevel" else {
            throw fail("$.decoder", "decoder \(value["type"]?.stringValue ?? "without a type") is not supported yet")
        }
    }

    static func checkPostProcessor(_ value: JSONValue?, path: String, _ fail: Fail) throws(VocabularyError) {
        guard let value, !value.isNull else { return }
        switch value["type"]?.stringValue {
        case "ByteLevel", "TemplateProcessing": return
        case "Sequence":
            for (index, item) in (value["processors"]?.arrayValue ?? []).enumerated() {
                try checkPostProcessor(item, path: path + ".processors[\(index)]", fail)
            }
        case let type: throw fail(path, "post-processor \(type ?? "without a type") is not supported yet")
        }
    }
}
