import Foundation
import Testing
@testable import BPE

/// The samples of Sources/BPE/BPE.docc/GettingStarted.md, compiled and run, and a check that every
/// line of the article's Swift samples appears here (so the article cannot drift from code that
/// compiles).
@Suite struct GettingStartedTests {
    @Test func samplesRun() async throws {
        let vocabularyBytes = Array(try Data(contentsOf: URL(fileURLWithPath: try VocabularyLocator.locate("o200k_base.tiktoken"))))
        let prompt = String(repeating: "The library opens at nine. ", count: 1000)
        let untrusted = "user text with <|end|> in it"

        // Load
        let encoding = try Encoding.named("o200k_base")
        let bundled = try Encoding.named("o200k_base", tiktokenData: vocabularyBytes)
        #expect(try bundled.encode("Hello, world!") == [13225, 11, 2375, 0])

        // Encode and decode
        let ids = try encoding.encode("Hello, world!")
        let text = try encoding.decode(ids)
        let bytes = try encoding.decodeBytes(ids)
        #expect(ids == [13225, 11, 2375, 0] && text == "Hello, world!" && bytes == Array(text.utf8))

        // Stream generated tokens
        let generated = try encoding.encode("Tokyo 🌦️ 東京")
        var stream = StreamingDecoder(encoding: encoding)
        var shown = ""
        for id in generated {
            shown += try stream.push(id)
        }
        shown += try stream.finish(.replace)
        #expect(shown == "Tokyo 🌦️ 東京")

        // Count, with a budget
        let count = try encoding.countTokens("How many tokens is this?")
        let fits = try encoding.countTokens(prompt, limit: 4096) != nil
        let cut = try encoding.prefixLength(prompt, maxTokens: 100)
        #expect(count == 6 && fits == false && cut > 0 && cut < prompt.utf8.count)

        // Special tokens
        let harmony = try Encoding.named("o200k_harmony")
        let control = try harmony.encode("<|start|>user<|message|>Hi<|end|>", allowedSpecial: .all)
        let asText = try harmony.encode(untrusted, disallowedSpecial: .none)
        #expect(control.first == 200006 && !asText.contains { $0 >= 199_998 })

        // Open models and tokenizer files
        let path = try VocabularyLocator.locate("allenai_dolma2.json")
        let llama = try Encoding.named("llama3")
        let withBOS = llama.addingSpecialTokens(try llama.encode("Hello"))  // [128000, 9906]: bos=True
        let hub = try Encoding.load(tokenizerFile: path)  // a tokenizer.json, a Tekken JSON, or a .tiktoken
        let hubIDs = try hub.encode("Hello", allowedSpecial: .all)  // Hugging Face's encode(text, add_special_tokens=False)
        #expect(withBOS == [128000, 9906] && hubIDs == [9906])
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|end|>", byteOffset: 15)) { try harmony.encode(untrusted) }

        // Offsets and many texts
        let spans = try encoding.encodeWithOffsets("naïve café")
        let words = spans.map { String("naïve café"[$0.range(in: "naïve café")]) }
        let all = try await encoding.encodeBatch(["one", "two", "three"])
        #expect(words.joined() == "naïve café")
        #expect(all == [try encoding.encode("one"), try encoding.encode("two"), try encoding.encode("three")])
    }

    @Test func articleMatchesTheseSamples() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let article = try String(contentsOf: root.appendingPathComponent("Sources/BPE/BPE.docc/GettingStarted.md"), encoding: .utf8)
        let source = try String(contentsOf: here, encoding: .utf8)
        let sourceLines = Set(source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        var checked = 0
        for block in article.components(separatedBy: "```swift\n").dropFirst() {
            let code = block.components(separatedBy: "```")[0]
            for line in code.split(separator: "\n") where !line.contains(".package(") {
                #expect(sourceLines.contains(line.trimmingCharacters(in: .whitespaces)), "not in the samples test: \(line)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }
}
