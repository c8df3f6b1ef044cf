import Foundation
import Testing
@testable import BPE

/// tokenizer.json components that the pinned files do not use — NFKC, Lowercase, Replace, Prepend,
/// ByteLevel's `add_prefix_space` (alone and after a `Split`), added tokens with `lstrip`, `rstrip`,
/// `single_word` and `normalized`, and `TemplateProcessing` — give Hugging Face tokenizers 0.23's
/// ids. The fixture (Tools/gen-tokenizer-json-variants) holds each variant as a pinned file with some
/// components replaced, and Hugging Face's ids on examples, the generated corpus, texts full of
/// added tokens and every Unicode scalar in context.
@Suite struct TokenizerJSONVariantTests {
    static let names = ["nfkc", "lowercase", "replace-prepend", "prefix-space", "split-prefix-space", "added-flags", "template"]

    static func variant(_ name: String) throws -> (encoding: Encoding, fixture: [String: Any]) {
        let fixture = (try Support.fixture("tokenizer-json-variants.json")["variants"] as! [String: Any])[name] as! [String: Any]
        let path = try VocabularyLocator.locate(fixture["base"] as! String)
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        for (key, value) in fixture["overrides"] as! [String: Any] { root[key] = value }
        let data = try JSONSerialization.data(withJSONObject: root)
        let file = try HuggingFaceTokenizerFile(json: [UInt8](data), source: name)
        return (try Encoding.huggingFace(file, name: name), fixture)
    }

    @Test(arguments: names)
    func examplesMatchHuggingFace(_ name: String) throws {
        let (encoding, fixture) = try Self.variant(name)
        for case let example as [Any] in fixture["examples"] as! [Any] {
            let text = example[0] as! String
            let ids = try encoding.encode(text, allowedSpecial: .all)
            #expect(ids == (example[1] as! [Int]).map(Rank.init), "\(name): \(text.debugDescription)")
            #expect(encoding.addingSpecialTokens(ids) == (example[2] as! [Int]).map(Rank.init), "\(name): \(text.debugDescription)")
        }
    }

    @Test(arguments: names)
    func corpusAddedTokensAndEveryScalarMatchHuggingFace(_ name: String) throws {
        let (encoding, fixture) = try Self.variant(name)
        let inputs = (try Support.fixture("differential.json")["cases"] as! [[String: Any]]).filter { $0["mode"] as! String == "text" }
        let corpus = fixture["corpus"] as! [Any]
        #expect(inputs.count == corpus.count && corpus.count >= 330)
        var mismatches = [String]()
        for (input, want) in zip(inputs, corpus) {
            let text = String(decoding: Data(base64Encoded: input["input"] as! String)!, as: UTF8.self)
            if OpenModelTests.digest(try encoding.encode(text, allowedSpecial: .all)) != OpenModelTests.expected(want) {
                mismatches.append(input["name"] as! String)
            }
        }
        for case let entry as [Any] in fixture["added"] as! [Any] {
            let text = entry[0] as! String
            if OpenModelTests.digest(try encoding.encode(text, allowedSpecial: .all)) != OpenModelTests.expected(entry[1]) {
                mismatches.append(text.debugDescription)
            }
        }
        let context = try Support.fixture("every-scalar.json")["context"] as! String
        let scalars = (0...0x10FFFF).compactMap(Unicode.Scalar.init)
        for (index, want) in (fixture["every_scalar"] as! [Any]).enumerated() {
            let text = scalars[(index * 4096)..<min(scalars.count, (index + 1) * 4096)]
                .map { context.replacingOccurrences(of: "{c}", with: String($0)) }.joined()
            if OpenModelTests.digest(try encoding.encode(text, allowedSpecial: .all)) != OpenModelTests.expected(want) {
                mismatches.append("every-scalar chunk \(index)")
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) mismatches: \(mismatches.prefix(8))")
    }

    /// Pieces and offsets index the normalised text: added tokens as they are, the rest normalised
    /// stretch by stretch (so Prepend runs after each added token).
    @Test func positionsIndexTheNormalisedText() throws {
        let (encoding, _) = try Self.variant("replace-prepend")
        let text = "ab 12<|endoftext|>cd"
        let normal = encoding.normalize(text)
        #expect(normal == "\u{2581}ab\u{2581}#<|endoftext|>\u{2581}cd")
        let utf8 = Array(normal.utf8)
        let pieces = try encoding.encodePieces(text, allowedSpecial: .all)
        #expect(pieces.map { String(decoding: utf8[$0.range], as: UTF8.self) }.joined() == normal)
        #expect(pieces.flatMap(\.tokens) == (try encoding.encode(text, allowedSpecial: .all)))
        // Truncating and chunking would encode parts of the normalised text again: refused for Prepend.
        #expect(throws: TokenEncodingError.self) { try encoding.prefixLength(text, maxTokens: 2) }
        let (lowercase, _) = try Self.variant("lowercase")
        #expect(lowercase.normalize("ABC<|endoftext|>DEF") == "abc<|endoftext|>def")
        #expect(try lowercase.prefixLength("ABC DEF", maxTokens: 1) == 3)
    }
}
