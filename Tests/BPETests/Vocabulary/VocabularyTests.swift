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
            (good + "= 300\n= 301\n", VocabularyError(file: "bad.tiktoken", line: 259, problem: .duplicateToken(firstLine: 258))),
            (good + "= 256\n", VocabularyError(file: "bad.tiktoken", line: 257, problem: .duplicateRank(256, firstLine: 258))),
            (good + "YWJjZA==", VocabularyError(file: "bad.tiktoken", line: 258, problem: .missingRank)),  // truncated mid-line
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try load(text) }
        }
        #expect(try load(good).count == 257)
        #expect(try load(good.replacingOccurrences(of: "\n", with: "\r\n")).count == 257)
    }

    /// What tiktoken's loader accepts: an empty token (`= RANK`, as in Whisper's
    /// `multilingual.tiktoken`), gaps in the ranks, and bytes with no token (GPT-NeoX-style), where
    /// encoding such a byte is a defined error (tiktoken panics).
    @Test func emptyTokenGapsAndMissingBytes() throws {
        let vocabulary = try load(Support.tiktokenText(extra: ["ab"]) + "= 300\n")
        #expect(vocabulary.emptyTokenRanks == [300])
        let encoding = try Encoding(name: "empty", vocabulary: vocabulary, pattern: Pattern.r50k, specialTokens: [:])
        #expect(try encoding.decodeBytes([97, 300, 98]) == Array("ab".utf8))
        #expect(encoding.tokenBytes(300) == [])
        #expect(try encoding.encode("ab ab") == [256, 32, 256])
        #expect(throws: TokenDecodingError.unknownToken(299, position: 1)) { try encoding.decodeBytes([97, 299]) }  // a gap

        let missing = try Encoding(name: "missing", vocabulary: load(Support.tiktokenText(extra: ["ab"], skipBytes: [0x41])),
                                   pattern: Pattern.r50k, specialTokens: [:])
        #expect(missing.vocabulary.missingBytes == [0x41])
        #expect(try missing.encode("ab b") == [256, 32, 98])
        #expect(throws: TokenEncodingError.noTokenForByte(0x41)) { try missing.encode("xyzA") }
        #expect(throws: TokenEncodingError.noTokenForByte(0x41)) { try missing.encode(bytes: Array("xA".utf8) + [0xFF]) }
        #expect(throws: TokenEncodingError.noTokenForByte(0x41)) { try missing.countTokens("A", limit: 9) }
        #expect(TokenEncodingError.noTokenForByte(0x41).description.contains("0x41"))
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
        #expect(error.description.contains("bpe fetch"))
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
        // The names listed without building the specs are the specs' names, each found by name.
        #expect(EncodingSpec.builtInNames == EncodingSpec.builtIn.map(\.name))
        for spec in EncodingSpec.builtIn { #expect(try EncodingSpec.named(spec.name).name == spec.name) }
        do {
            _ = try VocabularyLocator.locate("nonexistent.tiktoken", explicit: "/nowhere")
            Issue.record("expected notFound")
        } catch {
            #expect(error.description.contains("/nowhere"))
            #expect(error.description.contains("bpe fetch"))
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../../Vocab/manifest.json"))) as! [String: Any]
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

/// The binary cache next to a `.tiktoken` file: used when it matches, rebuilt when stale or damaged.
@Suite struct VocabularyCacheTests {
    /// 300 damaged versions of a file: a third truncated, the rest with one to eight bytes changed.
    func damagedCopies(of good: [UInt8], seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix(state: seed)
        return (0..<300).map { trial in
            var bad = good
            if trial % 3 == 0 {
                bad.removeLast(Int.random(in: 1...bad.count - 1, using: &rng))
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let at = Int.random(in: 0..<bad.count, using: &rng)
                    bad[at] = bad[at] ^ UInt8.random(in: 1...255, using: &rng)
                }
            }
            return bad
        }
    }

    func temporaryVocabulary(_ extra: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString).tiktoken").path
        try Support.tiktokenText(extra: extra).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func cacheRoundTripsAndIsCheckedAgainstItsSource() throws {
        let path = try temporaryVocabulary(["ab", "abc", "bc", "aé", "é", "ऱक"])
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".bpecache") }
        let parsed = try Vocabulary(contentsOfFile: path)
        #expect(VocabularyCache.load(source: path, expectedSHA256: nil) == nil)
        VocabularyCache.store(parsed, source: path)
        let cached = try #require(VocabularyCache.load(source: path, expectedSHA256: parsed.sha256))
        #expect(cached.sha256 == parsed.sha256 && cached.count == parsed.count)
        // The stored character-boundary filter and the rebuilt character table equal the built ones.
        #expect(Array(cached.table.boundaryFilter) == Array(parsed.table.boundaryFilter))
        #expect(parsed.table.boundaryFilter.contains { $0 != 0 })
        #expect(Array(cached.table.short.characters) == Array(parsed.table.short.characters))
        for token in ["ab", "abc", "bc", "a", "\u{0}"] { #expect(cached.rank(of: Array(token.utf8)) == parsed.rank(of: Array(token.utf8))) }
        #expect(cached.rank(of: Array("abcd".utf8)) == nil)
        // Another pin: not used.
        #expect(VocabularyCache.load(source: path, expectedSHA256: String(repeating: "0", count: 64)) == nil)
        // The source changes (size and time): not used.
        try Support.tiktokenText(extra: ["ab", "abc", "bc", "cd"]).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(VocabularyCache.load(source: path, expectedSHA256: nil) == nil)
    }

    @Test func damagedCachesAreIgnored() throws {
        let path = try temporaryVocabulary(["ab", "abc"])
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".bpecache") }
        let parsed = try Vocabulary(contentsOfFile: path)
        VocabularyCache.store(parsed, source: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path + ".bpecache"))
        for bad in damagedCopies(of: [UInt8](good), seed: 5) {
            _ = FileManager.default.createFile(atPath: path + ".bpecache", contents: Data(bad))
            #expect(VocabularyCache.load(source: path, expectedSHA256: nil) == nil)
        }
        // And loading through the registry path rebuilds it.
        let encoding = try Encoding.custom(vocabularyFile: path)
        #expect(try encoding.encode("abc ab") == [257, 32, 256])
        #expect(VocabularyCache.load(source: path, expectedSHA256: nil) != nil)
    }

    /// The long-piece index file (`.bpeindex`) is used only when intact and for the same
    /// vocabulary; damaged copies are ignored, and the registry path rebuilds it.
    @Test func damagedIndexFilesAreIgnored() throws {
        let path = try temporaryVocabulary(["ab", "abc", "aa", "aaaa"])
        let indexPath = BacktrackingIndex.path(for: path)
        defer {
            for suffix in ["", ".bpecache", ".bpeindex"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let vocabulary = try Vocabulary(contentsOfFile: path)
        BacktrackingIndex(merger: vocabulary.merger).store(path: indexPath, sha256: vocabulary.sha256)
        #expect(BacktrackingIndex.load(path: indexPath, sha256: vocabulary.sha256, table: vocabulary.table) != nil)
        #expect(BacktrackingIndex.load(path: indexPath, sha256: String(repeating: "0", count: 64), table: vocabulary.table) == nil)
        let good = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        for bad in damagedCopies(of: [UInt8](good), seed: 9) {
            _ = FileManager.default.createFile(atPath: indexPath, contents: Data(bad))
            #expect(BacktrackingIndex.load(path: indexPath, sha256: vocabulary.sha256, table: vocabulary.table) == nil)
        }
        // A long piece through the registry: the damaged file is replaced, the ids are exact.
        // (One letter: every pair in it is joinable, so the piece is not cut into short runs.)
        let encoding = try Encoding.custom(vocabularyFile: path)
        let text = String(repeating: "a", count: 301)
        #expect(try encoding.encode(text) == Support.referenceMerge(Array(text.utf8), encoding.vocabulary))
        #expect(BacktrackingIndex.load(path: indexPath, sha256: vocabulary.sha256, table: encoding.vocabulary.table) != nil)
    }
}
