import BPE
import Testing
import Harmony

/// The README's Harmony example, compiled and run (a model's reply stands in for `generated`).
@Suite struct ReadmeExampleTests {
    @Test func readmeExample() throws {
        let harmony = try HarmonyEncoding.load()
        let generated = try harmony.encoding.encode(
            "<|channel|>analysis<|message|>Call the tool.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary json<|message|>{\"city\": \"Tokyo\"}<|call|>",
            allowedSpecial: .all)
        // From the README:
        let conversation = Conversation([
            Message(author: Author(.system), content: [.system(SystemContent(reasoningEffort: .high, conversationStartDate: "2026-11-30"))]),
            Message(author: Author(.developer), content: [.developer(DeveloperContent(instructions: "Answer briefly.", functions: [
                ToolDescription(name: "get_weather", description: "Gets the weather.",
                                parameters: try JSONValue.parse(#"{"type": "object", "properties": {"city": {"type": "string"}}}"#))]))]),
            Message(.user, "Weather in Tokyo?"),
        ])
        let prompt = try harmony.renderForCompletion(conversation)        // ends with <|start|>assistant
        var parser = HarmonyStreamParser(harmony: harmony, role: .assistant)
        var printed = ""
        for id in generated {                                            // the model's ids, one at a time
            try parser.process(id)
            printed += parser.lastContentDelta ?? ""
        }
        try parser.processEOS()
        let messages = parser.messages                                   // or: try harmony.parse(generated, role: .assistant)

        #expect(Array(prompt.suffix(2)) == [200006, 173781])
        #expect(try harmony.encoding.decode(prompt).contains("type get_weather = (_: {\ncity?: string,\n}) => any;"))
        #expect(printed == "Call the tool.{\"city\": \"Tokyo\"}")
        #expect(messages.map(\.channel) == ["analysis", "commentary"])
        #expect(messages[1].recipient == "functions.get_weather" && messages[1].contentType == "json")
        #expect(messages == (try harmony.parse(generated, role: .assistant)))
    }

    /// The README's event-parser example.
    @Test func readmeEventsExample() throws {
        let harmony = try HarmonyEncoding.load()
        let generated = try harmony.encoding.encode(
            "<|channel|>analysis<|message|>Call the tool.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary json<|message|>{\"city\": \"Tokyo\"}<|call|>",
            allowedSpecial: .all)
        // From the README:
        let weather = ToolDescription(name: "get_weather", description: "Gets the weather.",
                                      parameters: try JSONValue.parse(#"{"type": "object", "properties": {"city": {"type": "string"}}}"#))
        var events = HarmonyEventParser(harmony: harmony, role: .assistant, tools: [ToolNamespace(name: "functions", tools: [weather])])
        var calls = [(String, JSONValue)]()
        for id in generated {
            for record in try events.process(id) {                       // record.event, record.ids
                if case let .toolCallEnd(target, .valid(arguments)) = record.event { calls.append((target.name ?? "", arguments)) }
            }
        }
        _ = try events.finish()

        #expect(calls.count == 1 && calls[0].0 == "get_weather")
        #expect(calls.first?.1 == (try JSONValue.parse(#"{"city": "Tokyo"}"#)))
    }
}
