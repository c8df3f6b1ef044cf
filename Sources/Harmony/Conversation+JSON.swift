import BPE

/// Conversation JSON in the reference's shape (openai-harmony's `Conversation.to_json`):
/// `{"messages": [{"role", "name", "content": [{"type": "text", "text"}, …], "channel",
/// "recipient", "content_type"}]}`, system parts as `{"type": "system_content", "model_identity", …}`
/// and developer parts as `{"type": "developer_content", "instructions", "tools"}`.
extension Conversation {
    /// Reads conversation JSON: an object with `messages`, or a bare array of messages. A message's
    /// `content` may be a string (one text part).
    public init(json: String) throws(HarmonyError) {
        let value: JSONValue
        do { value = try JSONValue.parse(json) } catch { throw HarmonyError(error.description) }
        try self.init(json: value)
    }

    public init(json value: JSONValue) throws(HarmonyError) {
        guard let list = (value["messages"] ?? value).arrayValue else {
            throw HarmonyError("conversation JSON must be {\"messages\": [...]} or an array of messages")
        }
        var messages = [Message]()
        for (index, item) in list.enumerated() {
            do { messages.append(try Message(json: item)) } catch {
                throw HarmonyError("message \(index): \(error.message)")
            }
        }
        self.init(messages)
    }

    /// The conversation as JSON (`pretty`: indented).
    public func json(pretty: Bool = false) -> String {
        let value = JSONValue.object([("messages", .array(messages.map(\.json)))])
        return pretty ? value.pretty : value.compact
    }
}

extension Message {
    init(json: JSONValue) throws(HarmonyError) {
        guard json.objectValue != nil else { throw HarmonyError("a message must be an object") }
        guard let roleName = json["role"]?.stringValue else { throw HarmonyError("missing \"role\"") }
        guard let role = Role(rawValue: roleName) else { throw HarmonyError("unknown role \"\(roleName)\"") }
        let name = try Message.optionalString(json, "name")
        var content = [Content]()
        switch json["content"] {
        case let .string(text)?: content = [.text(text)]
        case let .array(parts)?:
            for part in parts { content.append(try Content(json: part)) }
        case nil, .null?: break
        default: throw HarmonyError("\"content\" must be a string or an array")
        }
        self.init(author: Author(role, name: name), content: content,
                  recipient: try Message.optionalString(json, "recipient"),
                  channel: try Message.optionalString(json, "channel"),
                  contentType: try Message.optionalString(json, "content_type"))
    }

    static func optionalString(_ json: JSONValue, _ key: String) throws(HarmonyError) -> String? {
        switch json[key] {
        case nil, .null?: return nil
        case let .string(s)?: return s
        default: throw HarmonyError("\"\(key)\" must be a string")
        }
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("role", .string(author.role.rawValue)),
                                              ("name", author.name.map(JSONValue.string) ?? .null),
                                              ("content", .array(content.map(\.json)))]
        if let channel { members.append(("channel", .string(channel))) }
        if let recipient { members.append(("recipient", .string(recipient))) }
        if let contentType { members.append(("content_type", .string(contentType))) }
        return .object(members)
    }
}

extension Content {
    init(json: JSONValue) throws(HarmonyError) {
        switch json["type"]?.stringValue {
        case "text":
            guard let text = json["text"]?.stringValue else { throw HarmonyError("a text part needs \"text\"") }
            self = .text(text)
        case "system_content":
            var system = SystemContent()
            if let v = json["model_identity"] { system.modelIdentity = v.stringValue }
            if let v = json["reasoning_effort"] {
                if v.isNull { system.reasoningEffort = nil } else {
                    guard let name = v.stringValue, let effort = ReasoningEffort(rawValue: name.lowercased()) else {
                        throw HarmonyError("\"reasoning_effort\" must be Low, Medium or High")
                    }
                    system.reasoningEffort = effort
                }
            }
            if let v = json["knowledge_cutoff"] { system.knowledgeCutoff = v.stringValue }
            if let v = json["conversation_start_date"] { system.conversationStartDate = v.stringValue }
            if let v = json["channel_config"] {
                if v.isNull { system.channelConfig = nil } else {
                    let channels = (v["valid_channels"]?.arrayValue ?? []).compactMap(\.stringValue)
                    system.channelConfig = ChannelConfig(validChannels: channels, channelRequired: v["channel_required"]?.boolValue ?? false)
                }
            }
            system.tools = try Content.namespaces(json["tools"])
            self = .system(system)
        case "developer_content":
            self = .developer(DeveloperContent(instructions: json["instructions"]?.stringValue,
                                               tools: try Content.namespaces(json["tools"])))
        case let other:
            throw HarmonyError("unknown content type \(other.map { "\"\($0)\"" } ?? "(none)")")
        }
    }

    static func namespaces(_ json: JSONValue?) throws(HarmonyError) -> [String: ToolNamespace]? {
        guard let json, !json.isNull else { return nil }
        guard let members = json.objectValue else { throw HarmonyError("\"tools\" must be an object of namespaces") }
        var result = [String: ToolNamespace]()
        for (key, value) in members {
            var tools = [ToolDescription]()
            for tool in value["tools"]?.arrayValue ?? [] {
                guard let name = tool["name"]?.stringValue else { throw HarmonyError("a tool in \(key) has no \"name\"") }
                let parameters = tool["parameters"].flatMap { $0.isNull ? nil : $0 }
                tools.append(ToolDescription(name: name, description: tool["description"]?.stringValue ?? "", parameters: parameters))
            }
            result[key] = ToolNamespace(name: value["name"]?.stringValue ?? key, description: value["description"]?.stringValue, tools: tools)
        }
        return result
    }

    var json: JSONValue {
        switch self {
        case let .text(text):
            return .object([("type", .string("text")), ("text", .string(text))])
        case let .system(s):
            var members = [(String, JSONValue)]()
            if let v = s.modelIdentity { members.append(("model_identity", .string(v))) }
            if let v = s.reasoningEffort { members.append(("reasoning_effort", .string(v.jsonName))) }
            if let v = s.conversationStartDate { members.append(("conversation_start_date", .string(v))) }
            if let v = s.knowledgeCutoff { members.append(("knowledge_cutoff", .string(v))) }
            if let c = s.channelConfig {
                members.append(("channel_config", .object([("valid_channels", .array(c.validChannels.map(JSONValue.string))),
                                                           ("channel_required", .bool(c.channelRequired))])))
            }
            if let tools = s.tools { members.append(("tools", Content.json(tools))) }
            members.append(("type", .string("system_content")))
            return .object(members)
        case let .developer(d):
            var members = [(String, JSONValue)]()
            if let v = d.instructions { members.append(("instructions", .string(v))) }
            if let tools = d.tools { members.append(("tools", Content.json(tools))) }
            members.append(("type", .string("developer_content")))
            return .object(members)
        }
    }

    static func json(_ namespaces: [String: ToolNamespace]) -> JSONValue {
        .object(namespaces.keys.sorted().map { key in
            let ns = namespaces[key]!
            var members: [(String, JSONValue)] = [("name", .string(ns.name))]
            if let d = ns.description { members.append(("description", .string(d))) }
            members.append(("tools", .array(ns.tools.map { tool in
                var t: [(String, JSONValue)] = [("name", .string(tool.name)), ("description", .string(tool.description))]
                if let p = tool.parameters { t.append(("parameters", p)) }
                return .object(t)
            })))
            return (key, .object(members))
        })
    }
}
