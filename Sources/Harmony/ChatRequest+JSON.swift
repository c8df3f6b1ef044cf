import BPE

extension ChatRequest {
    /// Reads a Chat Completions request body. Fields counting does not need (`temperature`,
    /// `stream`, …) are ignored; a content part that is not text (an image, audio, a file) is an
    /// error, since its tokens cannot be counted from the request.
    /// - Throws: ``ChatRequestError`` naming the field that is missing or of the wrong type.
    public init(json: String) throws(ChatRequestError) {
        let root: JSONValue
        do { root = try JSONValue.parse(json) } catch { throw ChatRequestError("\(error)") }
        try self.init(json: root)
    }

    /// Reads a parsed Chat Completions request body (see ``init(json:)-(String)``).
    public init(json root: JSONValue) throws(ChatRequestError) {
        guard root.objectValue != nil else { throw ChatRequestError("not a JSON object") }
        guard let model = root["model"]?.stringValue else { throw ChatRequestError("no \"model\" string") }
        guard let list = root["messages"]?.arrayValue else { throw ChatRequestError("no \"messages\" list") }
        var messages = [ChatMessage]()
        for (index, value) in list.enumerated() {
            let at = "messages[\(index)]"
            guard let role = value["role"]?.stringValue else { throw ChatRequestError("\(at): no \"role\" string") }
            let content = try Self.text(value["content"], at: at + ".content")
            var calls = [ToolCall]()
            if let callList = value["tool_calls"], !callList.isNull {
                guard let items = callList.arrayValue else { throw ChatRequestError("\(at).tool_calls: not a list") }
                for (number, call) in items.enumerated() {
                    let where_ = "\(at).tool_calls[\(number)]"
                    guard let function = call["function"], let name = function["name"]?.stringValue else {
                        throw ChatRequestError("\(where_): no function name")
                    }
                    calls.append(ToolCall(id: call["id"]?.stringValue ?? "", name: name,
                                          arguments: function["arguments"]?.stringValue ?? ""))
                }
            }
            messages.append(ChatMessage(role: role, content: content, name: value["name"]?.stringValue,
                                        toolCallID: value["tool_call_id"]?.stringValue, toolCalls: calls))
        }
        var tools = [FunctionTool]()
        if let toolList = root["tools"], !toolList.isNull {
            guard let items = toolList.arrayValue else { throw ChatRequestError("\"tools\" is not a list") }
            for (index, tool) in items.enumerated() {
                guard let function = tool["function"], let name = function["name"]?.stringValue else {
                    throw ChatRequestError("tools[\(index)]: no function name (only function tools can be counted)")
                }
                let parameters = function["parameters"].flatMap { $0.isNull ? nil : $0 }
                tools.append(FunctionTool(name: name, description: function["description"]?.stringValue ?? "", parameters: parameters))
            }
        }
        var effort: ReasoningEffort?
        if let value = root["reasoning_effort"], !value.isNull {
            guard let name = value.stringValue, let known = ReasoningEffort(rawValue: name) else {
                throw ChatRequestError("\"reasoning_effort\" must be low, medium or high")
            }
            effort = known
        }
        self.init(model: model, messages: messages, tools: tools, reasoningEffort: effort)
    }

    /// A content field's text: a string, the `text` parts of a list joined, or empty for null.
    static func text(_ value: JSONValue?, at path: String) throws(ChatRequestError) -> String {
        guard let value, !value.isNull else { return "" }
        if let text = value.stringValue { return text }
        guard let parts = value.arrayValue else { throw ChatRequestError("\(path): neither a string nor a list of parts") }
        var joined = ""
        for (index, part) in parts.enumerated() {
            guard let text = part["text"]?.stringValue, part["type"]?.stringValue ?? "text" == "text" else {
                let type = part["type"]?.stringValue ?? "?"
                throw ChatRequestError("\(path)[\(index)]: a \"\(type)\" part; only text parts can be counted")
            }
            joined += text
        }
        return joined
    }
}
