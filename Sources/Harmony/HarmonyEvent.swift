import BPE

/// What ``HarmonyEventParser`` reports while completion ids stream in. Each event carries the ids
/// it consumed (``HarmonyEventRecord/ids``): in order, the ids of all events are exactly the ids
/// processed, so nothing the model wrote is lost.
public enum HarmonyEvent: Sendable, Equatable {
    /// A header ended with `<|message|>`: the message's author, channel, recipient and content type.
    case messageStart(Message)
    /// Text added to the current message (not a tool call), and the message's channel.
    case contentDelta(String, channel: String?)
    /// The current message is a call: an assistant message with a recipient other than `assistant`.
    case toolCallStart(ToolCallTarget)
    /// Text added to the current call's arguments.
    case toolArgumentsDelta(String)
    /// The call's message ended: its arguments checked against the declared tool.
    case toolCallEnd(ToolCallTarget, ToolCallCheck)
    /// The message ended: the whole message, and the token that ended it.
    case messageEnd(Message, stop: StopToken)
    /// Ids that do not form a well-formed message here, with their text; parsing went on.
    case error(HarmonyProblem)
}

/// One event and the ids it consumed.
public struct HarmonyEventRecord: Sendable, Equatable {
    /// The event.
    public let event: HarmonyEvent
    /// The ids this event accounts for (none for ``HarmonyEvent/toolCallStart(_:)`` and ``HarmonyEvent/toolCallEnd(_:_:)``).
    public let ids: [Rank]
}

/// The token that ended a message.
public enum StopToken: String, Sendable, Equatable {
    /// `<|end|>`.
    case end
    /// `<|call|>`: the model waits for a tool's answer.
    case call
    /// `<|return|>`: the final answer is complete.
    case `return`
    /// No stop token: the stream ended, or a `<|start|>` began the next message.
    case none
}

/// Where a call goes: `functions.get_weather`, `browser.search`, `python`.
public struct ToolCallTarget: Sendable, Equatable {
    /// The recipient as the header wrote it.
    public let recipient: String
    /// The part before the first dot (`functions`, `browser`), or the whole recipient (`python`).
    public var namespace: String {
        recipient.firstIndex(of: ".").map { String(recipient[..<$0]) } ?? recipient
    }
    /// The part after the first dot, nil when there is none.
    public var name: String? {
        recipient.firstIndex(of: ".").map { String(recipient[recipient.index(after: $0)...]) }
    }

    /// A target.
    public init(recipient: String) { self.recipient = recipient }
}

/// A finished call's arguments, checked against the declared tools.
public enum ToolCallCheck: Sendable, Equatable {
    /// JSON that the tool's parameters schema accepts.
    case valid(JSONValue)
    /// Not JSON: the parser's message and the text.
    case invalidJSON(message: String, text: String)
    /// JSON that breaks the schema: the JSON path of the first violation (`$.unit`) and what is wrong.
    case schemaViolation(path: String, message: String, arguments: JSONValue)
    /// The tools were declared and this one is not among them.
    case undeclaredTool(text: String)
    /// Not checked: no tools were declared, or the call is code (`python`), not JSON.
    case unchecked(text: String)
}

/// A malformed stretch of the id stream.
public struct HarmonyProblem: Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// Ids between messages that do not begin with `<|start|>` (text after `<|return|>`, say).
        case textOutsideMessage
        /// A header that a stop token, a new `<|start|>` or the end of the stream cut before `<|message|>`.
        case headerWithoutMessage
        /// A header ended by `<|message|>` that cannot be read (no role, unknown role, junk after
        /// the content type); its content, up to the next stop token, is part of the problem.
        case malformedHeader
        /// A message's content that a `<|start|>` cut before any stop token (the message is still reported).
        case unterminatedMessage
        /// `<|call|>` ending a message that has no recipient to call.
        case callWithoutRecipient
        /// An id the encoding does not have.
        case unknownToken
    }

    /// What went wrong.
    public let kind: Kind
    /// The ids' text (U+FFFD for bytes that are not UTF-8; special tokens as their text).
    public let text: String
    /// One line for a log.
    public let message: String

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}
