import Foundation
import Testing

/// `bpe models`, `-m MODEL`, `bpe count --max` (exit status 3) and `--chat`.
@Suite struct ModelsCLITests {
    let cli = CLITests()

    func text(_ run: CLITests.Run) -> String { String(decoding: run.stdout, as: UTF8.self) }

    @Test func modelsListsAndResolvesNames() throws {
        let list = try cli.bpe(["models"])
        #expect(list.status == 0)
        let lines = text(list).split(separator: "\n")
        #expect(lines.first?.hasPrefix("model ") == true)
        #expect(lines.contains { $0.hasPrefix("gpt-4o ") && $0.contains("o200k_base") && $0.contains("128000") && $0.contains("16384") })
        #expect(lines.contains { $0.hasPrefix("gpt-oss-120b ") && $0.contains("o200k_harmony") && $0.hasSuffix("harmony") })
        let one = try cli.bpe(["models", "gpt-4o-2024-08-06", "gpt-3.5"])
        #expect(text(one).hasPrefix("gpt-4o-2024-08-06 (by prefix, as gpt-4o): o200k_base, context 128000"))
        #expect(text(one).contains("gpt-3.5 (alias of gpt-3.5-turbo): cl100k_base, context 16385"))
        #expect(text(one).contains("  source: https://platform.openai.com/docs/models/gpt-4o\n"))
        let json = try JSONSerialization.jsonObject(with: Data(try cli.bpe(["models", "--json"]).stdout)) as! [[String: Any]]
        #expect(json.contains { $0["name"] as? String == "gpt-5" && $0["maxInputTokens"] as? Int == 272_000 })
        let unknown = try cli.bpe(["models", "gpt4o"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown model 'gpt4o'; did you mean gpt-4o"))
    }

    @Test func modelFlagPicksTheEncoding() throws {
        let viaModel = try cli.bpe(["encode", "-m", "gpt-4-0613"], stdin: Array("Hello, world! 🐍".utf8))
        let viaEncoding = try cli.bpe(["encode", "-e", "cl100k_base"], stdin: Array("Hello, world! 🐍".utf8))
        #expect(viaModel.status == 0 && viaModel.stdout == viaEncoding.stdout)
        let both = try cli.bpe(["encode", "-m", "gpt-4o", "-e", "cl100k_base"], stdin: Array("x".utf8))
        #expect(both.status != 0 && both.stderr.contains("give one of --encoding, --model and --tokenizer"))
        let columns = try cli.bpe(["count", "-e", "r50k_base", "-m", "gpt-4o"], stdin: Array("Hello, world!".utf8))
        #expect(text(columns) == "r50k_base    gpt-4o path\n        4         4 -\n")
    }

    /// `--max N` and `--max context`: every input over budget named on stderr, exit status 3;
    /// inputs within budget (equal counts fit) exit 0; unreadable inputs take precedence (1).
    @Test func budgetsGateWithExitStatus3() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        FileManager.default.createFile(atPath: root + "/small.txt", contents: Data("Hello, world!".utf8))  // 4 tokens
        FileManager.default.createFile(atPath: root + "/big.txt", contents: Data(String(repeating: " token", count: 20_000).utf8))
        let fits = try cli.bpe(["count", "--max", "4", root + "/small.txt"])
        #expect(fits.status == 0 && fits.stderr.isEmpty)
        let over = try cli.bpe(["count", "--quiet", "--max", "3", root])
        #expect(over.status == 3)
        #expect(over.stderr.contains("bpe count: \(root)/small.txt: 4 tokens, over the budget of 3 (--max 3)\n"))
        #expect(over.stderr.contains("bpe count: \(root)/big.txt: 20000 tokens, over the budget of 3 (--max 3)\n"))
        #expect(text(over).hasSuffix(" total\n"))
        let context = try cli.bpe(["count", "--quiet", "-m", "gpt-4", "-m", "gpt-4o", "--max", "context", root])
        #expect(context.status == 3)
        #expect(context.stderr == "bpe count: \(root)/big.txt: 20000 tokens with gpt-4, over the budget of 8192 (gpt-4's context window)\n")
        let json = try cli.bpe(["count", "--quiet", "--json", "-m", "gpt-4o", "--max", "context", root + "/big.txt"])
        #expect(json.status == 0)
        let file = ((try JSONSerialization.jsonObject(with: Data(json.stdout)) as! [String: Any])["files"] as! [[String: Any]])[0]
        #expect(file["budget"] as? [String: Int] == ["gpt-4o": 128_000])
        #expect(file["share"] as? [String: Double] == ["gpt-4o": 0.15625])
        let missing = try cli.bpe(["count", "--max", "3", root + "/small.txt", root + "/nope"])
        #expect(missing.status == 1)
        let noWindow = try cli.bpe(["count", "--max", "context", "-e", "o200k_base", root + "/small.txt"])
        #expect(noWindow.status != 0 && noWindow.stderr.contains("--max context needs -m MODEL"))
        let unsourced = try cli.bpe(["count", "--max", "context", "-m", "deepseek-v4", root + "/small.txt"])
        #expect(unsourced.status != 0 && unsourced.stderr.contains("no context window for deepseek-v4"))
        #expect(try cli.bpe(["count", "--max", "lots", root]).status != 0)
    }

    /// `truncate` and `chunk` take `--max-tokens context` with `-m`: the model's prompt limit.
    @Test func truncateAndChunkToAModelsContext() throws {
        let text = Array(String(repeating: "Tokens add up quickly. ", count: 400).utf8)   // about 2000 tokens
        let byModel = try cli.bpe(["truncate", "-m", "gpt2", "--max-tokens", "context"], stdin: text)
        let byNumber = try cli.bpe(["truncate", "-e", "r50k_base", "--max-tokens", "1024"], stdin: text)
        #expect(byModel.status == 0 && byModel.stdout == byNumber.stdout && byModel.stdout.count < text.count)
        let chunks = try cli.bpe(["chunk", "-m", "gpt2", "--max-tokens", "context"], stdin: text)
        #expect(String(decoding: chunks.stdout, as: UTF8.self).split(separator: "\n").count == 2)
        let overlap = try cli.bpe(["chunk", "-m", "gpt2", "--max-tokens", "context", "--overlap", "1024"], stdin: text)
        #expect(overlap.status != 0 && overlap.stderr.contains("below --max-tokens (1024)"))
        let noModel = try cli.bpe(["truncate", "--max-tokens", "context"], stdin: text)
        #expect(noModel.status != 0 && noModel.stderr.contains("--max-tokens context needs -m MODEL"))
    }

    /// `--chat`: the cookbook's worked example (101 tokens under gpt-4o, 105 under gpt-4, with
    /// its weather tool) and gpt-oss counted exactly by Harmony.
    @Test func chatRequestsAreCounted() throws {
        let request = #"""
            {"model": "gpt-4o", "temperature": 0, "messages": [
              {"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
              {"role": "user", "content": "What's the weather like in San Francisco?"}],
             "tools": [{"type": "function", "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
               "parameters": {"type": "object", "properties": {
                 "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                 "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]}},
               "required": ["location"]}}}]}
            """#
        let estimate = try cli.bpe(["count", "--chat"], stdin: Array(request.utf8))
        #expect(estimate.status == 0 && text(estimate) == "     101 -\n")
        #expect(estimate.stderr.contains("counts for gpt-4o are estimates"))
        #expect(text(try cli.bpe(["count", "--chat", "-m", "gpt-4"], stdin: Array(request.utf8))) == "     105 -\n")
        let oss = try cli.bpe(["count", "--chat", "--json", "-m", "gpt-oss-20b"], stdin: Array(request.utf8))
        #expect(oss.status == 0 && oss.stderr.isEmpty)
        let file = ((try JSONSerialization.jsonObject(with: Data(oss.stdout)) as! [String: Any])["files"] as! [[String: Any]])[0]
        #expect(file["exact"] as? Bool == true && file["model"] as? String == "gpt-oss-20b")
        let tokens = try #require((file["tokens"] as? [String: Int])?["prompt"])
        // openai-harmony 0.0.8 renders the conversation this request maps to (ChatRequest's docs) in
        // 168 tokens for completion.
        #expect(tokens == 168)
        let over = try cli.bpe(["count", "--chat", "--max", "100"], stdin: Array(request.utf8))
        #expect(over.status == 3 && over.stderr.contains("-: 101 tokens, over the budget of 100"))
        let image = #"{"model": "gpt-4o", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}"#
        let bad = try cli.bpe(["count", "--chat"], stdin: Array(image.utf8))
        #expect(bad.status == 1 && bad.stderr.contains("only text parts can be counted"))
        #expect(try cli.bpe(["count", "--chat", "-e", "o200k_base"], stdin: Array(request.utf8)).status != 0)
    }
}
