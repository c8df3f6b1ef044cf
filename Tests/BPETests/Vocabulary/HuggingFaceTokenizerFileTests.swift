import Foundation
import Testing
@testable import BPE

/// `tokenizer.json`: merges-list BPE, the pre-tokenizer steps, added tokens, and a JSONPath error
/// for every component that is not supported (expected values from Hugging Face tokenizers 0.23).
@Suite struct HuggingFaceTokenizerFileTests {
    /// A tokenizer.json of the 256 bytes (ids in byte order), `extra` tokens after them, `merges`,
    /// and the given JSON for the other members.
    static func file(extra: [String] = [], merges: [String] = [], preTokenizer: String = "null", normalizer: String = "null",
                     added: String = "[]", model: String = "", postProcessor: String = "null") -> [UInt8] {
        var vocab = (0..<256).map { "\(JSONString.quote(String(ByteLevel.characters[$0]))): \($0)" }
        for (i, token) in extra.enumerated() { vocab.append("\(JSONString.quote(token)): \(256 + i)") }
        let mergeList = merges.map { JSONString.quote($0) }.joined(separator: ",")
        return Array("""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": \(added), "normalizer": \(normalizer),
         "pre_tokenizer": \(preTokenizer), "post_processor": \(postProcessor), "decoder": {"type": "ByteLevel"},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "byte_fallback": false, \(model)
                   "vocab": {\(vocab.joined(separator: ","))}, "merges": [\(mergeList)]}}
        """.utf8)
    }

    static func encoding(_ data: [UInt8]) throws -> Encoding {
        try Encoding.huggingFace(HuggingFaceTokenizerFile(json: data, source: "t.json"), name: "t")
    }

    /// The merge stage's worked example (`MergeListMerger`): the list's order, not the tokens, decides.
    @Test func workedExample() throws {
        let inOrder = try Self.encoding(Self.file(extra: ["ab", "bc", "abc"], merges: ["a b", "b c", "ab c"]))
        #expect(try inOrder.encodeOrdinary("abc") == [258])
        let bcFirst = try Self.encoding(Self.file(extra: ["ab", "bc", "abc"], merges: ["b c", "a b", "ab c"]))
        #expect(try bcFirst.encodeOrdinary("abc") == [0x61, 257])  // "a bc" is no merge, though "abc" is a token
        // Merges as [left, right] pairs mean the same.
        let pairs = String(decoding: Self.file(extra: ["ab"], merges: []), as: UTF8.self)
            .replacingOccurrences(of: "\"merges\": []", with: "\"merges\": [[\"a\", \"b\"]]")
        #expect(try Self.encoding(Array(pairs.utf8)).encodeOrdinary("abab") == [256, 256])
        #expect(try inOrder.decode([258, 0x20, 0x61]) == "abc a")
        // The first list merges as tiktoken would by id; the second does not (checked at load).
        #expect(try HuggingFaceTokenizerFile(json: Self.file(extra: ["ab", "bc", "abc"], merges: ["a b", "b c", "ab c"]), source: "t")
            .isTiktokenEquivalent)
        #expect(try !HuggingFaceTokenizerFile(json: Self.file(extra: ["ab", "bc", "abc"], merges: ["b c", "a b", "ab c"]), source: "t")
            .isTiktokenEquivalent)
        // A token that no merge makes, or a merge out of id order, also rules it out.
        #expect(try !HuggingFaceTokenizerFile(json: Self.file(extra: ["ab", "bc"], merges: ["a b"]), source: "t").isTiktokenEquivalent)
        #expect(try !HuggingFaceTokenizerFile(json: Self.file(extra: ["ab", "bc"], merges: ["b c", "a b"]), source: "t").isTiktokenEquivalent)
    }

    /// The readable oracle: merge the lowest-priority adjacent pair, leftmost first, until none is a merge.
    static func referenceMerge(_ piece: [UInt8], merges: [[String]], ids: [String: Rank]) -> [Rank] {
        var parts = piece.map { String(UnicodeScalar($0)) }
        let priority = Dictionary(merges.enumerated().map { ($0.element[0] + " " + $0.element[1], $0.offset) }) { first, _ in first }
        while true {
            var best: (Int, Int)?
            for i in 0..<max(0, parts.count - 1) {
                if let p = priority[parts[i] + " " + parts[i + 1]], best == nil || p < best!.0 { best = (p, i) }
            }
            guard let (_, at) = best else { break }
            parts[at] += parts[at + 1]
            parts.remove(at: at + 1)
        }
        return parts.map { ids[$0]! }
    }

    /// Short pieces (scanned) and long ones (the heap) against the oracle, on random merge lists.
    @Test func shortAndLongPiecesMatchTheOracle() throws {
        var rng = SplitMix(state: 12)
        for _ in 0..<20 {
            // Tokens over "abcd" made by random merges of existing tokens.
            var tokens = ["a", "b", "c", "d"], merges = [[String]]()
            while merges.count < 40 {
                let left = tokens.randomElement(using: &rng)!, right = tokens.randomElement(using: &rng)!
                guard left.count + right.count <= 6, !tokens.contains(left + right) else { continue }
                merges.append([left, right])
                tokens.append(left + right)
            }
            let extra = tokens.dropFirst(4).map { $0 }
            let encoding = try Self.encoding(Self.file(extra: extra, merges: merges.map { $0[0] + " " + $0[1] }))
            var ids = [String: Rank]()
            for (i, token) in extra.enumerated() { ids[token] = Rank(256 + i) }
            for c in "abcd" { ids[String(c)] = Rank(c.asciiValue!) }
            for length in [1, 2, 3, 7, 20, 64, 65, 100, 300] {
                let letters = Array("abcd".utf8)
                let piece = (0..<length).map { _ in letters.randomElement(using: &rng)! }
                let text = String(decoding: piece, as: UTF8.self)
                #expect(try encoding.encodeOrdinary(text) == Self.referenceMerge(piece, merges: merges, ids: ids), "\(text)")
            }
        }
    }

    /// Every Split behaviour, with and without `invert` (pieces as tokenizers 0.23 gives them).
    @Test func splitBehaviours() throws {
        let text = "a1b22 c333d!?e"
        let expected: [(String, Bool, [String])] = [
            ("Removed", false, ["a", "b", " c", "d!?e"]), ("Removed", true, ["1", "2", "2", "3", "3", "3"]),
            ("Isolated", false, ["a", "1", "b", "2", "2", " c", "3", "3", "3", "d!?e"]),
            ("MergedWithPrevious", false, ["a1", "b2", "2", " c3", "3", "3", "d!?e"]),
            ("MergedWithPrevious", true, ["a", "1b", "2", "2 c", "3", "3", "3d!?e"]),
            ("MergedWithNext", false, ["a", "1b", "2", "2 c", "3", "3", "3d!?e"]),
            ("MergedWithNext", true, ["a1", "b2", "2", " c3", "3", "3", "d!?e"]),
            ("Contiguous", false, ["a", "1", "b", "22", " c", "333", "d!?e"]),
        ]
        for (behavior, invert, pieces) in expected {
            let step = try PreTokenizer.Step(split: #"\d"#, behavior: PreTokenizer.SplitBehavior(rawValue: behavior)!, invert: invert)
            let splitter = PreTokenizer(steps: [step], description: behavior)
            let actual = try splitter.pieces(text).map { String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: $0.lowerBound)..<text.utf8.index(text.utf8.startIndex, offsetBy: $0.upperBound)])! }
            #expect(actual == pieces, "\(behavior) invert \(invert)")
        }
        // In a Sequence each Split runs inside the pieces of the one before: the look-ahead stops there.
        let sequence = PreTokenizer(steps: [try PreTokenizer.Step(split: #"\p{N}{1,3}"#, behavior: .isolated),
                                            try PreTokenizer.Step(split: #"\s+(?!\S)|\s+"#, behavior: .isolated)], description: "")
        #expect(try sequence.pieces(":\n    0") == [0..<1, 1..<6, 6..<7])
        #expect(sequence.hasSafeCuts == false)
    }

    /// Added tokens are cut out before pre-tokenizing; special ones follow the encoding's policy.
    @Test func addedTokens() throws {
        let added = """
        [{"id": 300, "content": "<|s|>", "special": true, "normalized": false, "lstrip": false, "rstrip": false, "single_word": false},
         {"id": 301, "content": "  ", "special": false, "normalized": true, "lstrip": false, "rstrip": false, "single_word": false}]
        """
        let encoding = try Self.encoding(Self.file(added: added))
        #expect(try encoding.encode("x<|s|>y", allowedSpecial: .all) == [0x78, 300, 0x79])
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|s|>", byteOffset: 1)) { try encoding.encode("x<|s|>y") }
        #expect(try encoding.encodeOrdinary("x<|s|>y").count == 7)
        #expect(try encoding.encodeOrdinary("a   b") == [0x61, 301, 0x20, 0x62])  // not special: always its token
        #expect(try encoding.decode([300, 301]) == "<|s|>  ")
        #expect(encoding.isSpecialToken(300) && !encoding.isSpecialToken(301))
    }

    @Test func aByteWithoutATokenIsAnError() throws {
        // A vocabulary without the byte 0xFF (which UTF-8 text never holds).
        let data = String(decoding: Self.file(extra: ["ab"]), as: UTF8.self)
            .replacingOccurrences(of: "\(JSONString.quote(String(ByteLevel.characters[0xFF]))): 255,", with: "")
        #expect(data.utf8.count < Self.file(extra: ["ab"]).count)
        let encoding = try Self.encoding(Array(data.utf8))
        #expect(try encoding.encodeOrdinary("ok") == [0x6F, 0x6B])
        #expect(throws: TokenEncodingError.noTokenForByte(0xFF)) { try encoding.encode(bytes: [0x61, 0xFF]) }
    }

    @Test func unsupportedComponentsNameTheirJSONPath() throws {
        func problem(_ data: [UInt8]) -> String {
            do {
                _ = try HuggingFaceTokenizerFile(json: data, source: "t.json")
                return "no error"
            } catch {
                guard case let .invalidJSON(path, _) = error.problem else { return "\(error)" }
                return path
            }
        }
        #expect(problem(Self.file(model: #""type": "WordPiece","#)) == "$.model.type")
        #expect(problem(Self.file(merges: ["a q9"])) == "$.model.merges[0]")
        #expect(problem(Self.file(merges: ["a b c"])) == "$.model.merges[0]")
        #expect(problem(Self.file(normalizer: #"{"type": "BertNormalizer"}"#)) == "$.normalizer")
        #expect(problem(Self.file(normalizer: #"{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Strip"}]}"#))
                == "$.normalizer.normalizers[1]")
        #expect(problem(Self.file(normalizer: #"{"type": "Replace", "pattern": {"Regex": "("}, "content": ""}"#)) == "$.normalizer.pattern")
        #expect(problem(Self.file(preTokenizer: #"{"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}]}"#))
                == "$.pre_tokenizer.pretokenizers[0]")
        #expect(problem(Self.file(preTokenizer: #"{"type": "Split", "pattern": {"Regex": "("}, "behavior": "Isolated"}"#))
                == "$.pre_tokenizer.pattern")
        #expect(problem(Self.file(preTokenizer: #"{"type": "Sequence", "pretokenizers": [{"type": "ByteLevel", "add_prefix_space": true}, {"type": "Digits"}]}"#))
                == "$.pre_tokenizer.pretokenizers[0].add_prefix_space")
        #expect(problem(Self.file(added: #"[{"id": 300, "content": "x", "special": true}, {"id": 301, "content": "x"}]"#))
                == "$.added_tokens[1].content")
        #expect(problem(Self.file(postProcessor: #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "special_tokens": {}}"#))
                == "$.post_processor.single[0]")
        #expect(problem(Self.file(postProcessor: #"{"type": "BlipProcessing"}"#)) == "$.post_processor")
        #expect(problem(Self.file(model: #""byte_fallback": true,"#)) == "$.model.byte_fallback")
        #expect(problem(Array(String(decoding: Self.file(), as: UTF8.self)
            .replacingOccurrences(of: "\"truncation\": null", with: "\"truncation\": {\"max_length\": 8}").utf8)) == "$.truncation")
        #expect(problem(Self.file(extra: ["ab"], merges: ["a b", "a b"])) == "no error")  // a repeated pair keeps its first place
    }

    /// A file that merges as tiktoken does is kept as `FILE.bpecache` + `FILE.bpecomponents` and
    /// read back from them; a damaged, stale or foreign copy is ignored and rewritten.
    @Test func keptCopyIsUsedOnlyWhileValid() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString).json").path
        let components = path + ".bpecomponents"
        defer { for file in [path, path + ".bpecache", components] { try? FileManager.default.removeItem(atPath: file) } }
        let data = Self.file(extra: ["ab", "abc"], merges: ["a b", "ab c"],
                             added: #"[{"id": 300, "content": "<s>", "special": true}]"#,
                             postProcessor: #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}"#)
        try Data(data).write(to: URL(fileURLWithPath: path))
        let first = try Encoding.load(tokenizerFile: path)
        #expect(FileManager.default.fileExists(atPath: components) && FileManager.default.fileExists(atPath: path + ".bpecache"))
        let second = try Encoding.load(tokenizerFile: path)
        #expect(second.huggingFace?.merger == nil)  // read back: no merges list
        for encoding in [first, second] {
            #expect(try encoding.encode("abcab<s>", allowedSpecial: .all) == [257, 256, 300])
            #expect(encoding.addingSpecialTokens([257]) == [300, 257])
        }
        // Damaged: parsed again (and rewritten).
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: components))
        #expect(try Encoding.load(tokenizerFile: path).huggingFace?.merger != nil)
        #expect(try Encoding.load(tokenizerFile: path).huggingFace?.merger == nil)
        // A pin that is not the file's: refused, whether or not a copy is kept.
        #expect(throws: VocabularyError.self) { try HuggingFaceTokenizerFile.read(path: path, expectedSHA256: String(repeating: "0", count: 64)) }
        // The source changed (another size): the copy is stale.
        let changed = Self.file(extra: ["ab", "abc", "bc"], merges: ["a b", "ab c", "b c"])
        try Data(changed).write(to: URL(fileURLWithPath: path))
        let reread = try Encoding.load(tokenizerFile: path)
        #expect(reread.huggingFace?.merger != nil)
        #expect(try reread.encode("bc") == [258])
    }
}
