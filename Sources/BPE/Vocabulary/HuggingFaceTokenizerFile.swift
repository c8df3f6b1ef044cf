/// A Hugging Face `tokenizer.json` for byte-level BPE, read into the pipeline's stages: each JSON
/// component maps onto one type here, and a component this reader does not know is an error that
/// names it (with its JSONPath), never an approximation.
///
/// Supported: normalizers `NFC`, `NFKC`, `Lowercase`, `Replace`, `Prepend` and `Sequence`s of them
/// (``Normalizer``); pre-tokenizers `Split` (regex or string; every behaviour; `invert`),
/// `ByteLevel` (`use_regex`, `add_prefix_space`), `Digits`, `Sequence`; model `BPE` over the
/// byte-level alphabet (`vocab`, `merges` as `"a b"` strings or `[a, b]` pairs, `ignore_merges`);
/// `added_tokens` (special or not, `normalized`, `lstrip`, `rstrip`, `single_word`); decoder
/// `ByteLevel`; post-processors `TemplateProcessing`, `RobertaProcessing`, `BertProcessing`,
/// `ByteLevel` and `Sequence`s of them (``PostProcessor``: tokens added only when the caller asks).
public struct HuggingFaceTokenizerFile: Sendable {
    /// An entry of `added_tokens`, cut out of the text before pre-tokenizing.
    public struct AddedToken: Sendable, Equatable {
        public let content: String
        public let id: Rank
        /// A control token: under the encoding's special-token policy.
        public let special: Bool
        /// Matched in the normalised text (else in the raw text, before normalising).
        public let normalized: Bool
        /// Takes the whitespace before it.
        public let lstrip: Bool
        /// Takes the whitespace after it.
        public let rstrip: Bool
        /// Matches only where no word character is next to it on either side.
        public let singleWord: Bool
    }

    /// Ordinary tokens by id, as bytes (added tokens are not in it).
    public let vocabulary: Vocabulary
    /// What text goes through first.
    public let normalizer: Normalizer?
    /// The pre-tokenizer pipeline.
    public let preTokenizer: PreTokenizer
    /// Added tokens marked special: text to id.
    public let specialTokens: [String: Rank]
    /// Every added token, in the file's order.
    public let addedTokens: [AddedToken]
    /// What `add_special_tokens=True` adds.
    public let postProcessor: PostProcessor
    /// The merge stage by the merges list (nil for a file read back from its cache, which merges
    /// as tiktoken does).
    let merger: MergeListMerger?

    /// Reads a `tokenizer.json`'s bytes.
    /// - Throws: ``VocabularyError``: `sha256Mismatch`, or `invalidJSON` with the JSONPath of what is
    ///   missing, wrong or not supported.
    public init(json data: [UInt8], source: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let digest = try SHA256.checkedHexDigest(data, expected: expectedSHA256, source: source)
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

        let added = try HuggingFaceTokenizerFile.addedTokens(root, fail)
        let addedIDs = Set(added.map(\.id))

        // The vocabulary, as bytes (added tokens decode as their text instead), and its texts as
        // written (UTF-8 in a rank table, not a String dictionary: hashing Strings dominated loading).
        var arena = [UInt8]()
        var entries = [Vocabulary.Entry]()
        var textArena = [UInt8]()
        var textEntries = [Vocabulary.Entry]()
        arena.reserveCapacity(vocab.count * 8)
        entries.reserveCapacity(vocab.count)
        textArena.reserveCapacity(vocab.count * 8)
        textEntries.reserveCapacity(vocab.count)
        for (text, value) in vocab {
            guard let id = value.intValue, id >= 0, id < 1 << 30 else { throw fail("$.model.vocab[\(JSONString.quote(text))]", "not an id") }
            guard !text.isEmpty else { throw fail("$.model.vocab[\"\"]", "an empty token") }
            let textOffset = textArena.count
            textArena += text.utf8
            textEntries.append((UInt32(textOffset), UInt32(textArena.count - textOffset), Rank(id)))
            if addedIDs.contains(Rank(id)) { continue }
            let offset = arena.count
            arena += ByteLevel.decode(text)
            entries.append((UInt32(offset), UInt32(arena.count - offset), Rank(id)))
        }
        func tableProblem(_ error: Vocabulary.TableProblem, _ entries: [Vocabulary.Entry]) -> VocabularyError {
            switch error {
            case .tooSparse: fail("$.model.vocab", "ids too sparse")
            case let .duplicateRank(id, _, _): fail("$.model.vocab", "id \(id) used twice")
            case let .duplicateToken(entry, first):
                fail("$.model.vocab", "two tokens with the same bytes (ids \(entries[first].rank) and \(entries[entry].rank))")
            case .missingByte: fail("$.model.vocab", "a byte without a token")
            }
        }
        let table: RankTable, texts: RankTable
        do {
            table = try Vocabulary.makeTable(arena: arena, entries: entries, requireEveryByte: false)
        } catch {
            throw tableProblem(error, entries)
        }
        do {
            texts = try Vocabulary.makeTable(arena: textArena, entries: textEntries, requireEveryByte: false)
        } catch {
            throw tableProblem(error, textEntries)
        }
        /// The id of a vocabulary text given as UTF-8.
        func id(_ utf8: UnsafeBufferPointer<UInt8>) -> Rank? {
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return nil }
            let found = texts.rank(base, utf8.count)
            return found == RankTable.noRank ? nil : found
        }
        func id(_ text: String) -> Rank? {
            var text = text
            return text.withUTF8 { id($0) }
        }

        // Merges: priority = index.
        var merges = [UInt64: UInt64]()
        merges.reserveCapacity(mergeList.count)
        var results = Set<Rank>()
        results.reserveCapacity(mergeList.count)
        var kept = [(left: Rank, right: Rank, result: Rank)]()
        kept.reserveCapacity(mergeList.count)
        var joined = [UInt8]()
        /// Keeps merge `index` unless its pair came before (a repeated pair keeps its first place).
        func record(_ left: Rank, _ right: Rank, _ merged: Rank, index: Int, name: @autoclosure () -> String) throws(VocabularyError) {
            let key = UInt64(left) << 32 | UInt64(right)
            if merges[key] != nil { return }
            guard results.insert(merged).inserted else {
                throw fail("$.model.merges[\(index)]", "a second merge making \(JSONString.quote(name())): not supported")
            }
            merges[key] = UInt64(index) << 32 | UInt64(merged)
            kept.append((left, right, merged))
        }
        /// The ids of a `"left right"` merge's two parts and their join, or nil when it is not
        /// exactly two known texts (the slow path then names what is wrong).
        func mergeIDs(_ utf8: UnsafeBufferPointer<UInt8>) -> (left: Rank, right: Rank, merged: Rank)? {
            guard let space = utf8.firstIndex(of: 0x20), !utf8[(space + 1)...].contains(0x20) else { return nil }
            joined.removeAll(keepingCapacity: true)
            joined += utf8[..<space]
            joined += utf8[(space + 1)...]
            guard let left = id(UnsafeBufferPointer(rebasing: utf8[..<space])),
                  let right = id(UnsafeBufferPointer(rebasing: utf8[(space + 1)...])),
                  let merged = joined.withUnsafeBufferPointer({ id($0) }) else { return nil }
            return (left, right, merged)
        }
        for (index, entry) in mergeList.enumerated() {
            // The common case: a `"left right"` string of known texts, looked up by its UTF-8.
            if case var .string(text) = entry, let found = text.withUTF8({ mergeIDs($0) }) {
                try record(found.left, found.right, found.merged, index: index, name: String(decoding: joined, as: UTF8.self))
                continue
            }
            let path = "$.model.merges[\(index)]"
            let parts = entry.stringValue.map { $0.split(separator: " ", omittingEmptySubsequences: false).map(String.init) }
                ?? entry.arrayValue?.compactMap(\.stringValue) ?? []
            guard parts.count == 2 else { throw fail(path, "not a pair of tokens") }
            guard let left = id(parts[0]) else { throw fail(path, "\(JSONString.quote(parts[0])) is not in the vocabulary") }
            guard let right = id(parts[1]) else { throw fail(path, "\(JSONString.quote(parts[1])) is not in the vocabulary") }
            guard let merged = id(parts[0] + parts[1]) else {
                throw fail(path, "\(JSONString.quote(parts[0] + parts[1])) is not in the vocabulary")
            }
            try record(left, right, merged, index: index, name: parts[0] + parts[1])
        }
        let byteIDs = (0..<256).map { byte in id(String(ByteLevel.characters[byte])) ?? RankTable.noRank }

        normalizer = try HuggingFaceTokenizerFile.normalizer(root["normalizer"], path: "$.normalizer", fail)
        preTokenizer = try HuggingFaceTokenizerFile.preTokenizer(root["pre_tokenizer"], fail)
        try HuggingFaceTokenizerFile.checkDecoder(root["decoder"], fail)
        postProcessor = try HuggingFaceTokenizerFile.postProcessor(root["post_processor"], path: "$.post_processor",
                                                                  ids: { name in id(name) ?? added.first { $0.content == name }?.id }, fail)
        vocabulary = Vocabulary(table: table, sha256: digest)
        specialTokens = HuggingFaceTokenizerFile.specials(added)
        addedTokens = added
        merger = MergeListMerger(byteIDs: byteIDs, merges: PairTable(merges),
                                 wholeTokens: model["ignore_merges"]?.boolValue == true ? table : nil)
        isTiktokenEquivalent = byteIDs == table.byteRanks && HuggingFaceTokenizerFile.isTiktokenEquivalent(table, kept)
    }

    /// A file read back from its cache (``HuggingFaceTokenizerFile/read(path:expectedSHA256:)``):
    /// the kept vocabulary, and the file's other components. Only a file that merges as tiktoken
    /// does is kept, so no merges list is needed.
    init(cached vocabulary: Vocabulary, components root: JSONValue, source: String) throws(VocabularyError) {
        func fail(_ path: String, _ message: String) -> VocabularyError {
            VocabularyError(file: source, problem: .invalidJSON(path: path, message: message))
        }
        let added = try HuggingFaceTokenizerFile.addedTokens(root, fail)
        normalizer = try HuggingFaceTokenizerFile.normalizer(root["normalizer"], path: "$.normalizer", fail)
        preTokenizer = try HuggingFaceTokenizerFile.preTokenizer(root["pre_tokenizer"], fail)
        try HuggingFaceTokenizerFile.checkDecoder(root["decoder"], fail)
        postProcessor = try HuggingFaceTokenizerFile.postProcessor(
            root["post_processor"], path: "$.post_processor",
            ids: { name in vocabulary.rank(of: ByteLevel.decode(name)) ?? added.first { $0.content == name }?.id }, fail)
        self.vocabulary = vocabulary
        specialTokens = HuggingFaceTokenizerFile.specials(added)
        addedTokens = added
        merger = nil
        isTiktokenEquivalent = true
    }

    static func specials(_ added: [AddedToken]) -> [String: Rank] {
        Dictionary(added.filter(\.special).map { ($0.content, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    static func addedTokens(_ root: JSONValue, _ fail: Fail) throws(VocabularyError) -> [AddedToken] {
        var added = [AddedToken]()
        var contents = Set<CodePointKey>()
        for (index, token) in (root["added_tokens"]?.arrayValue ?? []).enumerated() {
            let path = "$.added_tokens[\(index)]"
            guard let content = token["content"]?.stringValue, !content.isEmpty,
                  let id = token["id"]?.intValue, id >= 0, id < 1 << 30 else {
                throw fail(path, "needs a non-empty content and an id")
            }
            guard contents.insert(CodePointKey(content)).inserted else { throw fail(path + ".content", "\(JSONString.quote(content)) is added twice") }
            let isSpecial = token["special"]?.boolValue ?? false
            let entry = AddedToken(content: content, id: Rank(id), special: isSpecial,
                                   normalized: token["normalized"]?.boolValue ?? !isSpecial,
                                   lstrip: token["lstrip"]?.boolValue ?? false, rstrip: token["rstrip"]?.boolValue ?? false,
                                   singleWord: token["single_word"]?.boolValue ?? false)
            added.append(entry)
        }
        return added
    }

    /// Whether tiktoken's rule on this vocabulary (merge the adjacent pair whose joined bytes have
    /// the lowest id) gives exactly what the merges list gives, on every text. It holds when
    /// (1) each merge's result has a higher id than the results of the merges before it, (2) every
    /// token of two or more bytes is a merge's result, and (3) merging each result's own bytes by
    /// tiktoken's rule ends with that merge's pair. Why: every merge tiktoken makes inside a text
    /// forms a token from the same pair as merging the token's own bytes does (the merges inside a
    /// token's bytes never depend on what is around them), so by (2) and (3) it is a merge of the
    /// list; by (1) the list's order is tiktoken's, so each step picks the same pair (leftmost
    /// among equals in both) and both stop together. Files converted from a `.tiktoken` meet it
    /// (DeepSeek V4's, OLMo 2's, GPT-NeoX's do); an encoding then merges on the fast path.
    /// - Complexity: one short merge per token, at load.
    public let isTiktokenEquivalent: Bool

    static func isTiktokenEquivalent(_ table: RankTable, _ merges: [(left: Rank, right: Rank, result: Rank)]) -> Bool {
        var previous: Rank?
        for merge in merges {
            if let previous, merge.result <= previous { return false }
            previous = merge.result
        }
        var multiByte = 0
        for rank in 0..<table.rankLimit where table.length(of: Rank(rank)) > 1 { multiByte += 1 }
        guard multiByte == merges.count else { return false }
        let merger = BytePairMerger(table: table)
        // Each merge is checked on its own: in parts, on every core.
        let partSize = 8192
        let parts = (merges.count + partSize - 1) / partSize
        return concurrentMap(count: parts, threads: POSIX.processorCount) { part in
            merges[(part * partSize)..<min(merges.count, (part + 1) * partSize)].allSatisfy { merge in
                let own = table.withBytes(of: merge.result) { BacktrackingIndex.ownMerge(merger, $0.baseAddress!, $0.count) }
                return own.map { $0.whole == merge.result && $0.left == merge.left && $0.right == merge.right } ?? false
            }
        }.allSatisfy { $0 }
    }

    typealias Fail = (String, String) -> VocabularyError

    static func normalizer(_ value: JSONValue?, path: String, _ fail: Fail) throws(VocabularyError) -> Normalizer? {
        guard let value, !value.isNull else { return nil }
        switch value["type"]?.stringValue {
        case "NFC": return .huggingFaceNFC
        case "NFKC": return .nfkc
        case "Lowercase": return .lowercase
        case "Prepend":
            guard let text = value["prepend"]?.stringValue else { throw fail(path + ".prepend", "missing or not a string") }
            return .prepend(text)
        case "Replace":
            guard let content = value["content"]?.stringValue else { throw fail(path + ".content", "missing or not a string") }
            let pattern: Normalizer.Replacement.Pattern
            if let regex = value["pattern"]?["Regex"]?.stringValue {
                pattern = .regex(regex)
            } else if let literal = value["pattern"]?["String"]?.stringValue {
                pattern = .string(literal)
            } else {
                throw fail(path + ".pattern", "needs Regex or String")
            }
            do {
                return .replace(try Normalizer.Replacement(pattern, with: content))
            } catch {
                throw fail(path + ".pattern", "the regex does not compile: \(error)")
            }
        case "Sequence":
            guard let items = value["normalizers"]?.arrayValue else { throw fail(path + ".normalizers", "missing or not an array") }
            var steps = [Normalizer]()
            for (index, item) in items.enumerated() {
                guard let one = try normalizer(item, path: path + ".normalizers[\(index)]", fail) else { continue }
                if case let .sequence(inner) = one { steps += inner } else { steps.append(one) }
            }
            return steps.isEmpty ? nil : steps.count == 1 ? steps[0] : .sequence(steps)
        case let type: throw fail(path, "normalizer \(type ?? "without a type") is not supported")
        }
    }

    static func preTokenizer(_ value: JSONValue?, _ fail: Fail) throws(VocabularyError) -> PreTokenizer {
        var steps = [PreTokenizer.Step]()
        var names = [String]()
        /// The patterns of the steps that are `Split`s, `Isolated` and not inverted (nil for any other step).
        var isolatedSplits = [String?]()
        var prefixSpacePath: String?
        func add(_ value: JSONValue, _ path: String) throws(VocabularyError) {
            do {
                switch value["type"]?.stringValue {
                case "Sequence":
                    for (index, item) in (value["pretokenizers"]?.arrayValue ?? []).enumerated() {
                        try add(item, path + ".pretokenizers[\(index)]")
                    }
                case "ByteLevel":
                    let prefixSpace = value["add_prefix_space"]?.boolValue ?? false
                    let useRegex = value["use_regex"]?.boolValue ?? true
                    if prefixSpace || useRegex {
                        steps.append(try .byteLevel(useRegex: useRegex, addPrefixSpace: prefixSpace))
                        isolatedSplits.append(nil)
                        names.append("ByteLevel" + (prefixSpace ? "(add_prefix_space)" : "") + (useRegex ? "" : "(no regex)"))
                        prefixSpacePath = prefixSpace ? path + ".add_prefix_space" : prefixSpacePath
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
                    let invert = value["invert"]?.boolValue ?? false
                    steps.append(try PreTokenizer.Step(split: pattern, behavior: behavior, invert: invert))
                    isolatedSplits.append(behavior == .isolated && !invert ? pattern : nil)
                    names.append("Split(\(pattern), \(name)\(value["invert"]?.boolValue == true ? ", invert" : ""))")
                case "Digits":
                    let individual = value["individual_digits"]?.boolValue ?? false
                    steps.append(try .digits(individual: individual))
                    isolatedSplits.append(nil)
                    names.append("Digits")
                case let type:
                    throw fail(path, "pre-tokenizer \(type ?? "without a type") is not supported")
                }
            } catch let error as VocabularyError {
                throw error
            } catch {
                throw fail(path + ".pattern", "the regex does not compile: \(error)")
            }
        }
        if let value, !value.isNull { try add(value, "$.pre_tokenizer") }
        if let prefixSpacePath, steps.last?.addPrefixSpace != true || steps.dropLast().contains(where: \.addPrefixSpace) {
            throw fail(prefixSpacePath, "add_prefix_space is supported on the last pre-tokenizer only")
        }
        if isolatedSplits == Pattern.deepSeekSplits.map(Optional.some) {
            return PreTokenizer(steps: steps, scanner: .deepseek, description: names.joined(separator: " → "))
        }
        return PreTokenizer(steps: steps, description: names.joined(separator: " → "))
    }

    static func checkDecoder(_ value: JSONValue?, _ fail: Fail) throws(VocabularyError) {
        guard let value, !value.isNull else { return }
        guard value["type"]?.stringValue == "ByteLevel" else {
            throw fail("$.decoder", "decoder \(value["type"]?.stringValue ?? "without a type") is not supported")
        }
    }

    /// What `add_special_tokens=True` adds: the single-text template's tokens around the text.
    static func postProcessor(_ value: JSONValue?, path: String, ids: (String) -> Rank?,
                              _ fail: Fail) throws(VocabularyError) -> PostProcessor {
        guard let value, !value.isNull else { return .none }
        func token(_ pair: JSONValue?, _ path: String) throws(VocabularyError) -> Rank {
            guard let items = pair?.arrayValue, items.count == 2, let id = items[1].intValue, id >= 0, id < 1 << 30 else {
                throw fail(path, "needs [token, id]")
            }
            return Rank(id)
        }
        switch value["type"]?.stringValue {
        case "ByteLevel": return .none
        case "RobertaProcessing", "BertProcessing":
            return PostProcessor(prefix: [try token(value["cls"], path + ".cls")], suffix: [try token(value["sep"], path + ".sep")])
        case "TemplateProcessing":
            guard let single = value["single"]?.arrayValue else { throw fail(path + ".single", "missing or not an array") }
            var prefix = [Rank](), suffix = [Rank]()
            var sawSequence = false
            for (index, item) in single.enumerated() {
                let itemPath = path + ".single[\(index)]"
                if let sequence = item["Sequence"] {
                    guard sequence["id"]?.stringValue == "A", !sawSequence else { throw fail(itemPath, "a single template has one sequence, A") }
                    sawSequence = true
                } else if let name = item["SpecialToken"]?["id"]?.stringValue {
                    var tokenIDs = [Rank]()
                    if let listed = value["special_tokens"]?[name]?["ids"]?.arrayValue {
                        for id in listed {
                            guard let id = id.intValue, id >= 0, id < 1 << 30 else { throw fail(path + ".special_tokens", "\(name): ids are not ids") }
                            tokenIDs.append(Rank(id))
                        }
                    } else if let id = ids(name) {
                        tokenIDs = [id]
                    } else {
                        throw fail(itemPath, "\(JSONString.quote(name)) is not in special_tokens")
                    }
                    if sawSequence { suffix += tokenIDs } else { prefix += tokenIDs }
                } else {
                    throw fail(itemPath, "neither a Sequence nor a SpecialToken")
                }
            }
            guard sawSequence else { throw fail(path + ".single", "no Sequence A") }
            return PostProcessor(prefix: prefix, suffix: suffix)
        case "Sequence":
            var combined = PostProcessor.none
            for (index, item) in (value["processors"]?.arrayValue ?? []).enumerated() {
                combined = combined.then(try postProcessor(item, path: path + ".processors[\(index)]", ids: ids, fail))
            }
            return combined
        case let type: throw fail(path, "post-processor \(type ?? "without a type") is not supported")
        }
    }
}
