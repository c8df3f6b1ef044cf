import BPE
import Foundation
import Testing
@testable import Harmony

/// Chat Completions requests counted: exact for gpt-oss against openai-harmony 0.0.8's rendering,
/// OpenAI cookbook's estimate elsewhere (fixtures from Tools/gen-model-fixtures, and the
/// cookbook's own worked examples).
@Suite struct ChatRequestTests {
    static func requests() throws -> [JSONValue] {
        let url = try #require(Bundle.module.url(forResource: "chat-requests", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONValue.parse(Array(try Data(contentsOf: url)))["requests"]?.arrayValue ?? []
    }

    @Test func countsEqualTheReferences() throws {
        let cases = try Self.requests()
        #expect(cases.count >= 100)
        var exact = 0
        for (index, item) in cases.enumerated() {
            let request = try ChatRequest(json: try #require(item["request"]))
            let count = try request.countTokens()
            let expected = try #require(item["tokens"]?.intValue)
            #expect(count.tokens == expected, "request \(index) (\(request.model)): \(count.tokens), reference \(expected)")
            #expect(count.isExact == (item["exact"]?.boolValue == true))
            if count.isExact {
                exact += 1
                let ids = try HarmonyEncoding.load().renderForCompletion(request.harmonyConversation())
                #expect(ids == HarmonyTests.ids(item["ids"]), "request \(index): rendering differs")
            }
        }
        #expect(exact >= 25)
    }

    /// The cookbook's worked examples: 129 tokens under gpt-4 and gpt-3.5-turbo, 124 under
    /// gpt-4o; with its weather tool, 105 and 101.
    @Test func cookbookWorkedExamples() throws {
        func messages(_ pairs: [(String, String, String?)]) -> [ChatRequest.ChatMessage] {
            pairs.map { ChatRequest.ChatMessage(role: $0.0, content: $0.1, name: $0.2) }
        }
        let jargon = messages([
            ("system", "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.", nil),
            ("system", "New synergies will help drive top-line growth.", "example_user"),
            ("system", "Things working well together will increase revenue.", "example_assistant"),
            ("system", "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.", "example_user"),
            ("system", "Let's talk later when we're less busy about how to do better.", "example_assistant"),
            ("user", "This late pivot means we don't have time to boil the ocean for the client deliverable.", nil),
        ])
        let weather = messages([
            ("system", "You are a helpful assistant that can answer to questions about the weather.", nil),
            ("user", "What's the weather like in San Francisco?", nil),
        ])
        let parameters = try JSONValue.parse(#"""
            {"type": "object", "properties": {
              "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
              "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]}},
             "required": ["location"]}
            """#)
        let tool = ChatRequest.FunctionTool(name: "get_current_weather", description: "Get the current weather in a given location",
                                            parameters: parameters)
        for (model, plain, withTools) in [("gpt-3.5-turbo", 129, 105), ("gpt-4", 129, 105), ("gpt-4o", 124, 101), ("gpt-4o-mini", 124, 101)] {
            #expect(try ChatRequest(model: model, messages: jargon).countTokens().tokens == plain, "\(model)")
            let count = try ChatRequest(model: model, messages: weather, tools: [tool]).countTokens()
            #expect(count.tokens == withTools && !count.isExact, "\(model)")
        }
    }

    /// gpt-oss: the rendering is the Harmony conversation the docs describe, token for token.
    @Test func gptOSSRendersTheConversation() throws {
        let request = try ChatRequest(json: #"""
            {"model": "gpt-oss-20b", "reasoning_effort": "high", "messages": [
              {"role": "system", "content": "Be brief."},
              {"role": "user", "content": [{"type": "text", "text": "Weather in "}, {"type": "text", "text": "Oslo?"}]},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]},
              {"role": "tool", "tool_call_id": "c1", "content": "-3 C"}],
             "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather now.",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]}
            """#)
        let conversation = try request.harmonyConversation()
        #expect(conversation.messages.map(\.author.role) == [.system, .developer, .user, .assistant, .tool])
        #expect(conversation.messages[2].text == "Weather in Oslo?")
        #expect(conversation.messages[3].recipient == "functions.get_weather" && conversation.messages[3].contentType == "<|constrain|>json")
        #expect(conversation.messages[4].author.name == "functions.get_weather")
        let harmony = try HarmonyEncoding.load()
        let text = try harmony.encoding.decode(harmony.renderForCompletion(conversation))
        #expect(text.contains("Reasoning: high") && text.contains("# Instructions\n\nBe brief.") && text.contains("type get_weather"))
        #expect(text.hasSuffix("<|start|>assistant"))
        #expect(try request.countTokens().tokens == harmony.renderForCompletion(conversation).count)
    }

    /// Tool descriptions are split into `// ` lines as Rust's `str::lines` splits them: a CRLF
    /// ends a line and its CR is dropped (as `Character`s, CRLF is one grapheme, not a `"\n"`).
    @Test func toolDescriptionLinesDropCarriageReturns() {
        #expect(ToolsSection.rustLines("Line one.\r\nLine two.\r\n") == ["Line one.", "Line two."])
        #expect(ToolsSection.rustLines("a\n\nb\r") == ["a", "", "b\r"])
        #expect(ToolsSection.rustLines("") == [])
    }

    @Test func badRequestsSayWhatIsWrong() throws {
        func message(_ json: String) -> String {
            do { _ = try ChatRequest(json: json).countTokens(); return "no error" } catch { return "\(error)" }
        }
        #expect(message("[]").contains("not a JSON object"))
        #expect(message(#"{"messages": []}"#).contains("no \"model\""))
        #expect(message(#"{"model": "gpt-4o"}"#).contains("no \"messages\""))
        #expect(message(#"{"model": "gpt-4o", "messages": [{"content": "x"}]}"#).contains("messages[0]: no \"role\""))
        #expect(message(#"{"model": "gpt-4o", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}"#)
            .contains("\"image_url\" part"))
        #expect(message(#"{"model": "gpt-oss-20b", "messages": [{"role": "tool", "content": "x"}]}"#).contains("tool answer"))
        #expect(message(#"{"model": "gpt-oss-20b", "messages": [{"role": "critic", "content": "x"}]}"#).contains("unknown role"))
        #expect(message(#"{"model": "text-embedding-3-small", "messages": []}"#).contains("not a chat model"))
        #expect(message(#"{"model": "gpt4o", "messages": []}"#).contains("did you mean gpt-4o"))
        #expect(message(#"{"model": "gpt-oss-20b", "reasoning_effort": "max", "messages": []}"#).contains("reasoning_effort"))
    }
}
