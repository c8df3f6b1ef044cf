import BPE

extension HarmonyEventRecord {
    /// The event as one JSON object, `{"event": NAME, …, "ids": […]}` (what `bpe harmony parse
    /// --events` prints): `message_start` (role, name, channel, recipient, content_type),
    /// `content_delta` (channel, delta), `tool_arguments_delta` (delta), `tool_call_start` (recipient,
    /// namespace, name), `tool_call_end` (recipient, status `valid`, `invalid_json`,
    /// `schema_violation`, `undeclared_tool` or `unchecked`, with arguments or text, path and
    /// message), `message_end` (stop, message as conversation JSON), `error` (kind, message, text).
    public var json: JSONValue {
        var members: [(String, JSONValue)]
        func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        switch event {
        case let .messageStart(message):
            members = [("event", .string("message_start")), ("role", .string(message.author.role.rawValue)),
                       ("name", optional(message.author.name)), ("channel", optional(message.channel)),
                       ("recipient", optional(message.recipient)), ("content_type", optional(message.contentType))]
        case let .contentDelta(delta, channel):
            members = [("event", .string("content_delta")), ("channel", optional(channel)), ("delta", .string(delta))]
        case let .toolArgumentsDelta(delta): members = [("event", .string("tool_arguments_delta")), ("delta", .string(delta))]
        case let .toolCallStart(target):
            members = [("event", .string("tool_call_start")), ("recipient", .string(target.recipient)),
                       ("namespace", .string(target.namespace)), ("name", optional(target.name))]
        case let .toolCallEnd(target, check):
            members = [("event", .string("tool_call_end")), ("recipient", .string(target.recipient))]
            switch check {
            case let .valid(arguments): members += [("status", .string("valid")), ("arguments", arguments)]
            case let .invalidJSON(message, text):
                members += [("status", .string("invalid_json")), ("message", .string(message)), ("text", .string(text))]
            case let .schemaViolation(path, message, arguments):
                members += [("status", .string("schema_violation")), ("path", .string(path)), ("message", .string(message)),
                            ("arguments", arguments)]
            case let .undeclaredTool(text): members += [("status", .string("undeclared_tool")), ("text", .string(text))]
            case let .unchecked(text): members += [("status", .string("unchecked")), ("text", .string(text))]
            }
        case let .messageEnd(message, stop):
            members = [("event", .string("message_end")), ("stop", .string(stop.rawValue)), ("message", message.json)]
        case let .error(problem):
            members = [("event", .string("error")), ("kind", .string(problem.kind.rawValue)), ("message", .string(problem.message)),
                       ("text", .string(problem.text))]
        }
        members.append(("ids", .array(ids.map { .number(String($0)) })))
        return .object(members)
    }
}
