import Foundation
import Testing

/// `bpe harmony render` and `bpe harmony parse`: ids equal openai-harmony 0.0.8's, the view marks
/// control tokens, and parse reads back what render wrote.
@Suite struct HarmonyCLITests {
    let cli = CLITests()
    let conversation = #"{"messages": [{"role": "user", "content": "Hi <|end|> 👋"}, {"role": "assistant", "channel": "final", "content": "Hello!"}]}"#

    @Test func renderIDsEqualTheReference() throws {
        let completion = try cli.bpe(["harmony", "render", "--ids"], stdin: Array(conversation.utf8))
        #expect(completion.status == 0, "\(completion.stderr)")
        // openai-harmony 0.0.8: render_conversation_for_completion(c, Role.ASSISTANT), render_conversation_for_training(c)
        #expect(String(decoding: completion.stdout, as: UTF8.self)
                == "200006 1428 200008 12194 464 91 419 91 29 61138 233 200007 200006 173781 200005 17196 200008 13225 0 200007 200006 173781\n")
        let training = try cli.bpe(["harmony", "render", "--for", "training", "--ids"], stdin: Array(conversation.utf8))
        #expect(String(decoding: training.stdout, as: UTF8.self)
                == "200006 1428 200008 12194 464 91 419 91 29 61138 233 200007 200006 173781 200005 17196 200008 13225 0 200002\n")
        let view = String(decoding: try cli.bpe(["harmony", "render", "--no-color"], stdin: Array(conversation.utf8)).stdout, as: UTF8.self)
        #expect(view.contains("[<|start|>]*[user][<|message|>]*[Hi][·<][|][end][|][>]{·👋: [20 F0 9F 91][8B]}[<|end|>]*"))

        let parsed = try cli.bpe(["harmony", "parse"], stdin: training.stdout)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(parsed.stdout)) as! [String: Any]
        let messages = json["messages"] as! [[String: Any]]
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant"])
        #expect(messages.map { (($0["content"] as! [[String: Any]])[0]["text"] as? String) } == ["Hi <|end|> 👋", "Hello!"])
        #expect(messages[1]["channel"] as? String == "final")
    }

    @Test func errorsAreOneLine() throws {
        let badJSON = try cli.bpe(["harmony", "render"], stdin: Array("{\"messages\": [{\"role\": \"robot\"}]}".utf8))
        #expect(badJSON.status != 0 && badJSON.stderr.contains("message 0: unknown role \"robot\""))
        let badIDs = try cli.bpe(["harmony", "parse"], stdin: Array("1 2".utf8))
        #expect(badIDs.status != 0 && badIDs.stderr.contains("expecting the start token 200006"))
        let lenient = try cli.bpe(["harmony", "parse", "--role", "assistant", "--lenient"], stdin: Array("13225 0 200007".utf8))
        #expect(lenient.status == 0 && String(decoding: lenient.stdout, as: UTF8.self).contains("\"text\": \"Hello!\""))
        let badRole = try cli.bpe(["harmony", "parse", "--role", "robot"], stdin: [])
        #expect(badRole.status != 0 && badRole.stderr.contains("'robot' is invalid for '--role <role>'")
                && badRole.stderr.contains("'system', 'developer', 'user', 'assistant' or 'tool'"))
    }
}
