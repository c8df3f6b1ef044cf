import BPE

/// The tokens a chat request's prompt takes.
public struct ChatTokenCount: Sendable, Equatable {
    /// The count.
    public let tokens: Int
    /// True when the count is the model's own rendering (gpt-oss through Harmony); false for
    /// OpenAI cookbook's estimate, which the API's `usage.prompt_tokens` may differ from.
    public let isExact: Bool
    /// The catalog entry of the request's model.
    public let model: ModelInfo
}

extension ChatRequest {
    /// The tokens this request's prompt takes for its model, looked up in `catalog`.
    ///
    /// - For a model whose ``ModelInfo/chat`` is `harmony` (gpt-oss) the count is exact: the
    ///   length of ``harmonyConversation()`` rendered for the assistant's next turn.
    /// - For `estimate` (the other OpenAI chat models) it is ``cookbookEstimate(encoding:)``.
    /// - Throws: ``UnknownModelError``; ``ChatRequestError`` for a model that is not a chat model
    ///   or a request Harmony cannot render; what loading the encoding throws.
    public func countTokens(catalog: ModelCatalog = .builtIn, vocabularyDirectory: String? = nil) throws -> ChatTokenCount {
        let info = try catalog.model(named: model)
        switch info.chat {
        case .harmony:
            let harmony = try HarmonyEncoding.load(vocabularyDirectory: vocabularyDirectory)
            let tokens = try harmony.renderForCompletion(harmonyConversation(), nextTurn: .assistant)
            return ChatTokenCount(tokens: tokens.count, isExact: true, model: info)
        case .estimate:
            let encoding = try Encoding.named(info.encoding, vocabularyDirectory: vocabularyDirectory)
            return ChatTokenCount(tokens: try cookbookEstimate(encoding: encoding), isExact: false, model: info)
        case .none:
            throw ChatRequestError("\(model) is not a chat model (the catalog counts chat requests for OpenAI's chat models and gpt-oss)")
        }
    }

    /// OpenAI cookbook's estimate of the prompt tokens ("How to count tokens with tiktoken"):
    ///
    /// - each message: 3, plus the tokens of its role, content and `tool_call_id`, plus the
    ///   tokens of its name and 1 more when it has one; an assistant's tool calls add the tokens
    ///   of each function name and arguments text (the cookbook leaves tool calls out);
    /// - 3 for the reply's priming;
    /// - with tools: per function 7 (o200k_base) or 10 (cl100k_base) plus the tokens of
    ///   `name:description` (a final `.` dropped); 3 when it has properties, and per property 3
    ///   plus the tokens of `key:type:description`, and for an `enum` -3 plus 3 and the item's
    ///   tokens per item; 12 after all functions.
    ///
    /// Special-token text counts as plain text.
    /// - Complexity: O(*n*) in the request's text.
    public func cookbookEstimate(encoding: Encoding) throws -> Int {
        func count(_ text: String) throws -> Int { try encoding.countTokens(text) }
        var total = 0
        for message in messages {
            total += 3
            total += try count(message.role) + count(message.content)
            if let name = message.name { total += try count(name) + 1 }
            if let id = message.toolCallID { total += try count(id) }
            for call in message.toolCalls { total += try count(call.name) + count(call.arguments) }
        }
        total += 3
        guard !tools.isEmpty else { return total }
        func trimmed(_ text: String) -> Substring { text.hasSuffix(".") ? text.dropLast() : Substring(text) }
        for tool in tools {
            total += encoding.name == "cl100k_base" ? 10 : 7
            total += try count(tool.name + ":" + trimmed(tool.description))
            guard let properties = tool.parameters?["properties"]?.objectValue, !properties.isEmpty else { continue }
            total += 3
            for (key, property) in properties {
                total += 3
                if let items = property["enum"]?.arrayValue {
                    total -= 3
                    for item in items { total += try 3 + count(item.stringValue ?? item.compact) }
                }
                let type = property["type"]?.stringValue ?? ""
                total += try count(key + ":" + type + ":" + trimmed(property["description"]?.stringValue ?? ""))
            }
        }
        return total + 12
    }

    /// The Harmony conversation a gpt-oss server renders for this request:
    ///
    /// 1. a system message with the default ``SystemContent`` and the request's reasoning effort;
    /// 2. a developer message when there are `system`/`developer` messages or tools: their texts
    ///    joined by a blank line as the instructions, the tools as the `functions` namespace;
    /// 3. each `user` message; each `assistant` text on the `final` channel; each tool call as an
    ///    assistant message on `commentary` to `functions.NAME` with content type
    ///    `<|constrain|>json`; each `tool` message from `functions.NAME` (its `name`, else the name
    ///    of the call its `tool_call_id` answers) to `assistant` on `commentary`.
    /// - Throws: ``ChatRequestError`` for an unknown role or a tool answer to an unknown call.
    public func harmonyConversation() throws(ChatRequestError) -> Conversation {
        var system = SystemContent()
        if let reasoningEffort { system.reasoningEffort = reasoningEffort }
        var out = [Message(author: Author(.system), content: [.system(system)])]
        let instructions = messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.content)
        let functions = tools.map { ToolDescription(name: $0.name, description: $0.description, parameters: $0.parameters) }
        if !instructions.isEmpty || !functions.isEmpty {
            let developer = DeveloperContent(instructions: instructions.isEmpty ? nil : instructions.joined(separator: "\n\n"),
                                             functions: functions)
            out.append(Message(author: Author(.developer), content: [.developer(developer)]))
        }
        var callNames = [String: String]()
        for (index, message) in messages.enumerated() {
            switch message.role {
            case "system", "developer": continue
            case "user": out.append(Message(.user, message.content))
            case "assistant":
                if !message.content.isEmpty { out.append(Message(.assistant, message.content, channel: "final")) }
                for call in message.toolCalls {
                    callNames[call.id] = call.name
                    out.append(Message(author: Author(.assistant), content: [.text(call.arguments)], recipient: "functions." + call.name,
                                       channel: "commentary", contentType: "<|constrain|>json"))
                }
            case "tool":
                guard let name = message.name ?? message.toolCallID.flatMap({ callNames[$0] }) else {
                    throw ChatRequestError("messages[\(index)]: a tool answer with neither a name nor the id of an earlier tool call")
                }
                out.append(Message(author: Author(.tool, name: "functions." + name), content: [.text(message.content)],
                                   recipient: "assistant", channel: "commentary"))
            default:
                throw ChatRequestError("messages[\(index)]: unknown role \"\(message.role)\"")
            }
        }
        return Conversation(out)
    }
}
