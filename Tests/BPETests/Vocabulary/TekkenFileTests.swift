import Foundation
import Testing
@testable import BPE

/// Tekken files: mistral-common's rules, and every malformed file a one-line error with its JSON path.
@Suite struct TekkenFileTests {
    /// A Tekken file of the 256 bytes plus `extra`, `count` special ids, `version`, listing `special`.
    static func file(extra: [String] = ["ab"], count: Int = 20, vocabSize: Int? = nil, version: String = "v3",
                     special: String? = nil, byteCount: Int = 256) -> [UInt8] {
        var vocab = (0..<byteCount).map { #"{"rank": \#($0), "token_bytes": "\#(Data([UInt8($0)]).base64EncodedString())", "token_str": null}"# }
        for (i, token) in extra.enumerated() {
            vocab.append(#"{"rank": \#(byteCount + i), "token_bytes": "\#(Data(token.utf8).base64EncodedString())", "token_str": "\#(token)"}"#)
        }
        let size = vocabSize ?? vocab.count + count
        let specialMember = special.map { #", "special_tokens": \#($0)"# } ?? ""
        return Array(#"""
        {"config": {"pattern": "\\p{L}+|\\s+|.", "num_vocab_tokens": \#(vocab.count), "default_vocab_size": \#(size),
         "default_num_special_tokens": \#(count), "version": "\#(version)"}, "vocab": [\#(vocab.joined(separator: ","))]\#(specialMember)}
        """#.utf8)
    }

    @Test func idsAreRanksPlusTheSpecialCount() throws {
        let tekken = try TekkenFile(json: Self.file(), source: "t.json")
        #expect(tekken.specialTokenCount == 20)
        #expect(tekken.vocabulary.rank(of: Array("ab".utf8)) == 276)
        #expect(tekken.vocabulary.rank(of: [UInt8(0x61)]) == Rank(0x61 + 20))
        #expect(tekken.specialTokens.count == 20 && tekken.specialTokens["<s>"] == 1 && tekken.specialTokens["[INST]"] == 3)
        let more = try TekkenFile(json: Self.file(count: 22), source: "t.json")
        #expect(more.specialTokens["<SPECIAL_21>"] == 21 && more.specialTokens["[TOOL_CONTENT]"] == 19)
        // Only the first default_vocab_size - default_num_special_tokens tokens are used.
        let cut = try TekkenFile(json: Self.file(extra: ["ab", "cd"], vocabSize: 257 + 20), source: "t.json")
        #expect(cut.vocabulary.rank(of: Array("ab".utf8)) == 276 && cut.vocabulary.rank(of: Array("cd".utf8)) == nil)
        let listed = try TekkenFile(json: Self.file(version: "v13", special: #"[{"rank": 0, "token_str": "<x>", "is_control": true}]"#),
                                    source: "t.json")
        #expect(listed.specialTokens.count == 20 && listed.specialTokens["<x>"] == 0 && listed.specialTokens["<SPECIAL_19>"] == 19)
    }

    @Test func anEncodingFromATekkenFileEncodesLikeTheRanks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tekken-\(getpid()).json").path
        try Data(Self.file()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let encoding = try Encoding.load(tokenizerFile: path)
        #expect(try encoding.encodeOrdinary("ab ab") == [276, 0x20 + 20, 276])
        #expect(try encoding.decode([1, 276]) == "<s>ab")
        #expect(throws: VocabularyError.self) { try Encoding.load(tokenizerFile: path, pattern: Pattern.o200k) }
    }

    @Test func malformedFilesNameTheJSONPath() throws {
        func problem(_ data: [UInt8]) -> String {
            do {
                _ = try TekkenFile(json: data, source: "t.json")
                return "no error"
            } catch {
                guard case let .invalidJSON(path, _) = error.problem else { return "\(error)" }
                return path
            }
        }
        let good = String(decoding: Self.file(), as: UTF8.self)
        #expect(problem(Array("{\"config\": ".utf8)) == "$")
        #expect(problem(Array("{\"vocab\": []}".utf8)) == "$.config")
        #expect(problem(Array(good.replacingOccurrences(of: "\"pattern\"", with: "\"p\"").utf8)) == "$.config.pattern")
        #expect(problem(Array(good.replacingOccurrences(of: "\"default_vocab_size\"", with: "\"x\"").utf8)) == "$.config.default_vocab_size")
        #expect(problem(Self.file(extra: ["ab"], vocabSize: 999)) == "$.vocab")
        #expect(problem(Array(good.replacingOccurrences(of: "\"rank\": 7,", with: "\"rank\": 8,").utf8)) == "$.vocab[7].rank")
        #expect(problem(Array(good.replacingOccurrences(of: "\"YWI=\"", with: "\"YW*=\"").utf8)) == "$.vocab[256].token_bytes")
        #expect(problem(Self.file(extra: ["a"])) == "$.vocab[256]")  // the byte "a" again
        #expect(problem(Self.file(extra: [], byteCount: 255)) == "$.vocab")  // byte 0xFF missing
        #expect(problem(Self.file(version: "v11")) == "$.special_tokens")  // after v7 they must be listed
        #expect(problem(Self.file(special: #"[{"rank": 25, "token_str": "<x>"}]"#)) == "$.special_tokens[0]")
        #expect(problem(Self.file(count: 3)) == "$.special_tokens")  // Tekken's 20 defaults need 20 ids
        let error = VocabularyError(file: "t.json", problem: .invalidJSON(path: "$.vocab[7].rank", message: "expected 7"))
        #expect(error.description == "t.json: $.vocab[7].rank: expected 7")
    }

    @Test func objectsWithManyKeysParseInLinearTime() throws {
        // 200,000 keys (a tokenizer.json vocabulary's size): a repeated key keeps its last value in its first place.
        let members = (0..<200_000).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let value = try JSONValue.parse("{" + members + ", \"k5\": -1}")
        #expect(value.objectValue?.count == 200_000)
        #expect(value["k5"]?.intValue == -1 && value.objectValue?[5].0 == "k5")
    }
}
