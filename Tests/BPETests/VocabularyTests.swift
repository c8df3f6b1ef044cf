import Foundation
import Testing
@testable import BPE

@Suite struct VocabularyTests {
    func load(_ text: String) throws(VocabularyError) -> Vocabulary {
        try Vocabulary(tiktoken: Array(text.utf8), source: "bad.tiktoken")
    }

    @Test func malformedFilesNameFileLineAndProblem() throws {
        let good = Support.tiktokenText(extra: ["ab"])
        let cases: [(String, VocabularyError)] = [
            ("", VocabularyError(file: "bad.tiktoken", problem: .empty)),
            ("\n\n", VocabularyError(file: "bad.tiktoken", problem: .empty)),
            (good + "YWJj\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .missingRank)),
            (good + "YWJj 12x\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .badRank("12x"))),
            (good + "YWJj -1\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .badRank("-1"))),
            (good + "YW*j 300\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .badBase64("YW*j"))),
            (good + "YWJ 300\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .badBase64("YWJ"))),
            (good + "YWI= 300\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .duplicateToken(firstLine: 257))),
            (good + "YWJj 256\n", VocabularyError(file: "bad.tiktoken", line: 258, problem: .duplicateRank(256, firstLine: 257))),
            (good + "YWJj 999999999\n", VocabularyError(file: "bad.tiktoken", problem: .ranksTooSparse(maxRank: 999_999_999, count: 258))),
            (Support.tiktokenText(extra: [], skipBytes: [0x41]), VocabularyError(file: "bad.tiktoken", problem: .missingByte(0x41))),
            (good + "YWJjZA==", VocabularyError(file: "bad.tiktoken", line: 258, problem: .missingRank)),  // truncated mid-line
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try load(text) }
        }
        #expect(try load(good).count == 257)
        #expect(try load(good.replacingOccurrences(of: "\n", with: "\r\n")).count == 257)
    }

    @Test func sha256IsCheckedAndNamed() throws {
        let text = Support.tiktokenText(extra: [])
        let digest = SHA256.hexDigest(Array(text.utf8))
        #expect(try Vocabulary(tiktoken: Array(text.utf8), source: "v", expectedSHA256: digest).sha256 == digest)
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: VocabularyError(file: "v", problem: .sha256Mismatch(expected: wrong, actual: digest))) {
            try Vocabulary(tiktoken: Array(text.utf8), source: "v", expectedSHA256: wrong)
        }
        let error = VocabularyError(file: "v", problem: .sha256Mismatch(expected: wrong, actual: digest))
        #expect(error.description.contains("Tools/fetch-vocab"))
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hexDigest(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func builtInFilesMatchTheirPins() throws {
        for spec in EncodingSpec.builtIn {
            #expect(try Support.encoding(spec.name).vocabulary.sha256 == spec.sha256)
        }
    }

    @Test func unknownEncodingAndMissingFile() throws {
        #expect(throws: UnknownEncodingError.self) { try Encoding.named("o300k_base") }
        do {
            _ = try VocabularyLocator.locate("nonexistent.tiktoken", explicit: "/nowhere")
            Issue.record("expected notFound")
        } catch {
            #expect(error.description.contains("/nowhere"))
            #expect(error.description.contains("Tools/fetch-vocab"))
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../Vocab/manifest.json"))) as! [String: Any]
        let pins = (manifest["vocabularies"] as! [String: [String: Any]]).mapValues { $0["sha256"] as! String }
        for spec in EncodingSpec.builtIn { #expect(pins[spec.vocabularyFile] == spec.sha256) }
    }

    @Test func customEncodingFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(getpid()).tiktoken").path
        try Support.tiktokenText(extra: ["ab", "abab"]).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let encoding = try Encoding.custom(vocabularyFile: path, pattern: Pattern.r50k, specialTokens: ["<eos>": 1000])
        #expect(try encoding.encode("abab ab", allowedSpecial: .all) == [257, 32, 256])
        #expect(try encoding.encode("ab<eos>", allowedSpecial: .all) == [256, 1000])
        #expect(throws: EncodingSetupError.specialTokenCollides("<x>", 65)) {
            try Encoding.custom(vocabularyFile: path, specialTokens: ["<x>": 65])
        }
    }
}
