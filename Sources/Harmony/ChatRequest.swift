import BPE

/// An OpenAI Chat Completions request body, as far as token counting needs it: the model, the
/// messages, the function tools and the reasoning effort.
///
/// ```swift
/// let request = try ChatRequest(json: #"{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}"#)
/// let count = try request.countTokens()   // count.tokens, count.isExact
/// ```
public struct ChatRequest: Sendable, Equatable {
    /// One message of `messages`.
    public struct ChatMessage: Sendable, Equatable {
        /// `system`, `developer`, `user`, `assistant` or `tool`.
        public var role: String
        /// The text: a string, or the `text` parts of a list of parts, joined.
        public var content: String
        /// The optional `name` field.
        public var name: String?
        /// A tool message's `tool_call_id`.
        public var toolCallID: String?
        /// An assistant message's `tool_calls`.
        public var toolCalls: [ToolCall]

        /// A message.
        public init(role: String, content: String, name: String? = nil, toolCallID: String? = nil, toolCalls: [ToolCall] = []) {
            self.role = role
            self.content = content
            self.name = name
            self.toolCallID = toolCallID
            self.toolCalls = toolCalls
        }
    }

    /// A function call an assistant message made.
    public struct ToolCall: Sendable, Equatable {
        /// The call's `id`, which the tool's answer names as `tool_call_id`.
        public var id: String
        /// The function's name.
        public var name: String
        /// The arguments, as the JSON text the model wrote.
        public var arguments: String

        /// A call.
        public init(id: String, name: String, arguments: String) {
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    /// A `{"type": "function", "function": {…}}` entry of `tools`.
    public struct FunctionTool: Sendable, Equatable {
        /// The function's name.
        public var name: String
        /// Its description (empty when absent).
        public var description: String
        /// Its JSON Schema `parameters`, key order kept.
        public var parameters: JSONValue?

        /// A function tool.
        public init(name: String, description: String = "", parameters: JSONValue? = nil) {
            self.name = name
            self.description = description
            self.parameters = parameters
        }
    }

    /// The `model` field.
    public var model: String
    /// The `messages`, in order.
    public var messages: [ChatMessage]
    /// The function `tools`.
    public var tools: [FunctionTool]
    /// The `reasoning_effort` field (gpt-oss's system message states it; default medium).
    public var reasoningEffort: ReasoningEffort?

    /// A request.
    public init(model: String, messages: [ChatMessage], tools: [FunctionTool] = [], reasoningEffort: ReasoningEffort? = nil) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.reasoningEffort = reasoningEffort
    }
}

/// A chat request that cannot be read or counted.
public struct ChatRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the field.
    public let message: String
    init(_ message: String) { self.message = message }
    /// One line saying what is wrong.
    public var description: String { "chat request: \(message)" }
}
