import BPE

/// How hard the model reasons (stated in the system message).
public enum ReasoningEffort: String, Sendable, CaseIterable {
    case low, medium, high

    /// The spelling in conversation JSON (`"Low"`, `"Medium"`, `"High"`).
    public var jsonName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// The channels the model may write to.
public struct ChannelConfig: Sendable, Equatable {
    public var validChannels: [String]
    public var channelRequired: Bool
    public init(validChannels: [String] = ["analysis", "commentary", "final"], channelRequired: Bool = true) {
        self.validChannels = validChannels
        self.channelRequired = channelRequired
    }
}

/// The system message's content. Fields left out of conversation JSON take the reference's
/// defaults: the model identity below, medium effort, knowledge cutoff 2024-06, the three channels.
public struct SystemContent: Sendable, Equatable {
    public static let defaultIdentity = "You are ChatGPT, a large language model trained by OpenAI."

    public var modelIdentity: String?
    public var reasoningEffort: ReasoningEffort?
    public var knowledgeCutoff: String?
    /// The current date, for example `2026-11-30`.
    public var conversationStartDate: String?
    public var channelConfig: ChannelConfig?
    /// Built-in tool namespaces (for example `browser`, `python`), by name.
    public var tools: [String: ToolNamespace]?

    public init(modelIdentity: String? = SystemContent.defaultIdentity, reasoningEffort: ReasoningEffort? = .medium,
                knowledgeCutoff: String? = "2024-06", conversationStartDate: String? = nil,
                channelConfig: ChannelConfig? = ChannelConfig(), tools: [String: ToolNamespace]? = nil) {
        self.modelIdentity = modelIdentity
        self.reasoningEffort = reasoningEffort
        self.knowledgeCutoff = knowledgeCutoff
        self.conversationStartDate = conversationStartDate
        self.channelConfig = channelConfig
        self.tools = tools
    }
}

/// The developer message's content: instructions and function tools.
public struct DeveloperContent: Sendable, Equatable {
    public var instructions: String?
    /// Tool namespaces by name; function tools live in `functions`.
    public var tools: [String: ToolNamespace]?

    public init(instructions: String? = nil, tools: [String: ToolNamespace]? = nil) {
        self.instructions = instructions
        self.tools = tools
    }

    /// Instructions plus function tools in the `functions` namespace.
    public init(instructions: String?, functions: [ToolDescription]) {
        self.init(instructions: instructions, tools: functions.isEmpty ? nil : ["functions": ToolNamespace(name: "functions", tools: functions)])
    }
}

/// A namespace of tools, rendered as a TypeScript-like `namespace` block.
public struct ToolNamespace: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var tools: [ToolDescription]
    public init(name: String, description: String? = nil, tools: [ToolDescription] = []) {
        self.name = name
        self.description = description
        self.tools = tools
    }
}

/// A tool: name, description and JSON-Schema parameters.
public struct ToolDescription: Sendable, Equatable {
    public var name: String
    public var description: String
    public var parameters: JSONValue?
    public init(name: String, description: String, parameters: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
