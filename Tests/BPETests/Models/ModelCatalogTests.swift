import Foundation
import Testing
@testable import BPE

@Suite struct ModelCatalogTests {
    /// The library embeds Vocab/models.json as it is (Tools/gen-model-catalog).
    @Test func embeddedCatalogIsTheFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Vocab/models.json"), encoding: .utf8)
        #expect(ModelCatalog.builtInJSON + "\n" == file, "run Tools/gen-model-catalog after editing Vocab/models.json")
        #expect(ModelCatalog.builtIn.models.count > 40)
    }

    /// Every name tiktoken 0.14 maps gets the same encoding (its `gpt2` is r50k_base); where
    /// tiktoken raises, the name is unknown here too unless it is one of the open models the
    /// catalog adds.
    @Test func namesResolveAsTiktokenResolvesThem() throws {
        let names = try #require(Support.fixture("model-names.json")["names"] as? [[String: Any]])
        #expect(names.count > 300)
        var agreed = 0
        for entry in names {
            let name = entry["name"] as! String
            let found = try? ModelCatalog.builtIn.model(named: name)
            if let expected = entry["tiktoken"] as? String {
                let want = expected == "gpt2" ? "r50k_base" : expected
                #expect(found?.encoding == want, "\(name): tiktoken \(expected), catalog \(found?.encoding ?? "unknown")")
                agreed += 1
            } else if let found {
                let openAI = ["o200k_base", "o200k_harmony", "cl100k_base", "p50k_base", "p50k_edit", "r50k_base"]
                #expect(!openAI.contains(found.encoding), "\(name): tiktoken knows no such model, catalog says \(found.name)")
            }
        }
        #expect(agreed > 200)
    }

    @Test func prefixesPickTheLongestMatch() throws {
        let catalog = ModelCatalog.builtIn
        #expect(try catalog.model(named: "gpt-4o-2024-08-06").name == "gpt-4o")
        #expect(try catalog.model(named: "gpt-4o-mini").contextWindow == 128_000)
        #expect(try catalog.model(named: "gpt-4-32k-0613").contextWindow == 32_768)
        #expect(try catalog.model(named: "gpt-4-0613").contextWindow == 8_192)
        #expect(try catalog.model(named: "gpt-4-turbo-2024-04-09").contextWindow == 128_000)
        #expect(try catalog.model(named: "ft:gpt-4o-mini:acme::abc").encoding == "o200k_base")
        #expect(try catalog.model(named: "gpt-5-chat-latest").contextWindow == 128_000)
        let gpt5 = try catalog.model(named: "gpt-5-2025-08-07")
        #expect(gpt5.contextWindow == 400_000 && gpt5.inputBudget == 272_000 && gpt5.maxOutputTokens == 128_000)
        let oss = try catalog.model(named: "gpt-oss-20b")
        #expect(oss.encoding == "o200k_harmony" && oss.chat == .harmony && oss.inputBudget == 131_072)
        #expect(try catalog.model(named: "meta-llama/Llama-3.1-8B-Instruct").encoding == "llama3")
        #expect(try catalog.model(named: "qwen3.5-27b").encoding == "qwen3.5")
        #expect(try catalog.model(named: "qwen3-32b").encoding == "qwen")
    }

    @Test func unknownNamesSuggestCloseOnes() throws {
        let error = try #require(throws: UnknownModelError.self) { try ModelCatalog.builtIn.model(named: "gpt4o") }
        #expect(error.suggestions.first == "gpt-4o")
        #expect(error.description.contains("did you mean gpt-4o") && error.description.contains("bpe models"))
        let far = try #require(throws: UnknownModelError.self) { try ModelCatalog.builtIn.model(named: "zzzzzzzzzzzzzz") }
        #expect(far.suggestions.isEmpty)
        #expect(throws: UnknownModelError.self) { try ModelCatalog.builtIn.model(named: "") }
    }

    /// Every entry names a built-in encoding, and every figure has a source.
    @Test func entriesAreWellFormed() throws {
        for model in ModelCatalog.builtIn.models {
            #expect(EncodingSpec.builtInNames.contains(model.encoding), "\(model.name): \(model.encoding)")
            let figures = [model.contextWindow, model.maxInputTokens, model.maxOutputTokens].compactMap { $0 }
            #expect(figures.isEmpty || model.sources.allSatisfy { $0.hasPrefix("https://") } && !model.sources.isEmpty,
                    "\(model.name): figures without a source")
            if let input = model.maxInputTokens, let window = model.contextWindow { #expect(input <= window) }
        }
        #expect(ModelCatalog.builtIn.models.contains { $0.encoding == "o200k_harmony" })
    }

    @Test func badCatalogsSayWhatIsWrong() {
        func message(_ json: String) -> String? {
            do { _ = try ModelCatalog(json: json); return nil } catch { return error.description }
        }
        #expect(message("[]")?.contains("no \"models\" list") == true)
        #expect(message(#"{"models": [{"encoding": "o200k_base"}]}"#)?.contains("models[0]: no \"name\"") == true)
        #expect(message(#"{"models": [{"name": "a", "encoding": "x", "chat": "yes"}]}"#)?.contains("\"chat\"") == true)
        #expect(message(#"{"models": [{"name": "a", "encoding": "x", "contextWindow": -1}]}"#)?.contains("positive") == true)
        #expect(message(#"{"models": [{"name": "a", "encoding": "x"}, {"name": "a", "encoding": "y"}]}"#)?.contains("twice") == true)
        #expect(message(#"{"models": [{"name": "a", "encoding": "x", "prefixes": ["p"]}, {"name": "b", "encoding": "y", "prefixes": ["p"]}]}"#)?.contains("twice") == true)
        #expect(message(#"{"models": [{"name": "a", "encoding": "x", "prefixes": ["a-"]}]}"#) == nil)
    }

    @Test func encodingForModel() throws {
        #expect(try Encoding.forModel("gpt-4o-mini").name == "o200k_base")
        #expect(try Encoding.forModel("gpt-3.5-turbo-0125").name == "cl100k_base")
        #expect(try Encoding.forModel("gpt-oss-120b").name == "o200k_harmony")
        #expect(throws: UnknownModelError.self) { try Encoding.forModel("gpt-4.5") }
    }

    /// p50k_edit (tiktoken's encoding for the edit models): p50k_base's tokens, and the
    /// fill-in-the-middle tokens at 50281–50283 when allowed.
    @Test func p50kEdit() throws {
        let edit = try Encoding.forModel("code-davinci-edit-001")
        let base = try Encoding.named("p50k_base")
        #expect(edit.name == "p50k_edit")
        let text = "def f(x):\n        return x  # spaces 🐍"
        #expect(try edit.encodeOrdinary(text) == base.encodeOrdinary(text))
        #expect(try edit.encode("<|fim_prefix|>a<|fim_middle|>b<|fim_suffix|><|endoftext|>", allowedSpecial: .all)
            == [50_281, 64, 50_282, 65, 50_283, 50_256])
    }
}
