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

    /// `parse --events`: events as JSON Lines, each written as soon as the ids that complete it
    /// arrive (read before the rest of the input is written); malformed parts become error events
    /// and the exit status is 0; `--strict` stops with status 1; `--tools` checks the arguments.
    @Test func eventsStreamAsIdsArrive() throws {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["harmony", "parse", "--events"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // <|start|>user<|message|>Hi: the message_start event is complete, the message is not.
        input.fileHandleForWriting.write(Data("200006 1428 200008 12194\n".utf8))
        var first = Data()
        while !first.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        let firstEvent = try JSONSerialization.jsonObject(with: first.split(separator: 0x0A)[0]) as! [String: Any]
        #expect(firstEvent["event"] as? String == "message_start" && firstEvent["role"] as? String == "user")
        // <|end|>, then text outside any message.
        input.fileHandleForWriting.write(Data("200007 13225\n".utf8))
        try input.fileHandleForWriting.close()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let events = (first + rest).split(separator: 0x0A).map { try! JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        #expect(events.map { $0["event"] as! String } == ["message_start", "content_delta", "message_end", "error"])
        #expect(events[1]["delta"] as? String == "Hi")
        #expect(events[2]["stop"] as? String == "end")
        #expect(events[3]["kind"] as? String == "textOutsideMessage" && events[3]["text"] as? String == "Hello")
        #expect(events.flatMap { $0["ids"] as! [Int] } == [200006, 1428, 200008, 12194, 200007, 13225])

        let strict = try cli.bpe(["harmony", "parse", "--events", "--strict"], stdin: Array("200006 1428 200008 12194 200007 13225".utf8))
        #expect(strict.status == 1 && strict.stderr.contains("outside a message"))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tools-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        FileManager.default.createFile(atPath: root, contents: Data(#"[{"type": "function", "function": {"name": "get_weather", "description": "w", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]"#.utf8))
        // <|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city": 3}<|call|>
        let call = "200006 173781 200005 12606 815 316 28 44580 775 170154 220 200003 4108 200008 10848 17500 1243 220 18 92 200012"
        let checked = try cli.bpe(["harmony", "parse", "--events", "--tools", root], stdin: Array(call.utf8))
        let end = String(decoding: checked.stdout, as: UTF8.self).split(separator: "\n").first { $0.contains("tool_call_end") }
        let object = try JSONSerialization.jsonObject(with: Data(try #require(end).utf8)) as! [String: Any]
        #expect(object["status"] as? String == "schema_violation" && object["path"] as? String == "$.city")
    }
}
