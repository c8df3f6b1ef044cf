import BPE

extension HarmonyEncoding {
    // MARK: - Rendering

    /// The conversation's messages, each `<|start|>header<|message|>content<|end|>`.
    ///
    /// With `autoDropAnalysis` (the reference's default) and an assistant `final` message as the
    /// last assistant message, `analysis` messages before the first `final` message are left out:
    /// earlier reasoning is not shown to the model again.
    public func render(_ conversation: Conversation, autoDropAnalysis: Bool = true) throws(HarmonyError) -> [Rank] {
        let messages = conversation.messages
        let hasFunctionTools = messages.contains { message in
            message.content.contains {
                if case let .developer(d) = $0 { return !(d.tools?["functions"]?.tools.isEmpty ?? true) }
                return false
            }
        }
        let lastAssistantIsFinal = messages.last { $0.author.role == .assistant }?.channel == "final"
        let firstFinal = messages.firstIndex { $0.channel == "final" }
        var out = [Rank]()
        for (index, message) in messages.enumerated() {
            if autoDropAnalysis, lastAssistantIsFinal, let firstFinal, index < firstFinal, message.channel == "analysis" { continue }
            try render(message, hasFunctionTools: hasFunctionTools, into: &out)
        }
        return out
    }

    /// A prompt for the model: the conversation, then `<|start|>` and the next turn's role.
    public func renderForCompletion(_ conversation: Conversation, nextTurn role: Role = .assistant,
                                    autoDropAnalysis: Bool = true) throws(HarmonyError) -> [Rank] {
        var out = try render(conversation, autoDropAnalysis: autoDropAnalysis)
        out.append(start)
        out += try text(role.rawValue)
        return out
    }

    /// A training example: the conversation, where a final assistant answer at the end closes
    /// with `<|return|>` instead of `<|end|>`.
    public func renderForTraining(_ conversation: Conversation, autoDropAnalysis: Bool = true) throws(HarmonyError) -> [Rank] {
        var out = try render(conversation, autoDropAnalysis: autoDropAnalysis)
        if let last = conversation.messages.last, last.author.role == .assistant, last.channel == "final", !out.isEmpty {
            out[out.count - 1] = returnToken
        }
        return out
    }

    /// One message.
    public func render(_ message: Message, hasFunctionTools: Bool = false) throws(HarmonyError) -> [Rank] {
        var out = [Rank]()
        try render(message, hasFunctionTools: hasFunctionTools, into: &out)
        return out
    }

    func render(_ m: Message, hasFunctionTools: Bool, into out: inout [Rank]) throws(HarmonyError) {
        out.append(start)
        if m.author.role == .tool {
            guard let name = m.author.name else { throw HarmonyError("a tool message needs the tool's name as its author name") }
            out += try text(name)
        } else {
            out += try text(m.author.role.rawValue)
            if let name = m.author.name { out += try text(":" + name) }
        }
        if let recipient = m.recipient, recipient != "all" { out += try text(" to=" + recipient) }
        if let channel = m.channel {
            out.append(self.channel)
            out += try text(channel)
        }
        if let contentType = m.contentType {
            if contentType.hasPrefix("<|constrain|>") {
                out += try text(" ")
                out.append(constrain)
                let rest = String(contentType.dropFirst("<|constrain|>".count))
                if !rest.isEmpty { out += try text(rest) }
            } else {
                out += try text(" " + contentType)
            }
        }
        out.append(message)
        for part in m.content {
            switch part {
            case let .text(t): out += try text(t)
            case let .system(s):
                guard m.author.role == .system else { throw HarmonyError("system content may only appear in system messages") }
                out += try text(HarmonyEncoding.systemText(s, hasFunctionTools: hasFunctionTools))
            case let .developer(d):
                guard m.author.role == .developer else { throw HarmonyError("developer content may only appear in developer messages") }
                out += try text(HarmonyEncoding.developerText(d))
            }
        }
        out.append(m.author.role == .assistant && m.recipient != nil ? call : end)
    }

    /// The system message's text: identity, dates, reasoning effort, built-in tools, channels.
    public static func systemText(_ s: SystemContent, hasFunctionTools: Bool) -> String {
        var sections = [String]()
        var top = [String]()
        if let v = s.modelIdentity { top.append(v) }
        if let v = s.knowledgeCutoff { top.append("Knowledge cutoff: \(v)") }
        if let v = s.conversationStartDate { top.append("Current date: \(v)") }
        if !top.isEmpty { sections.append(top.joined(separator: "\n")) }
        if let effort = s.reasoningEffort { sections.append("Reasoning: \(effort.rawValue)") }
        if let tools = s.tools, !tools.isEmpty { sections.append(ToolsSection.render(tools)) }
        if let config = s.channelConfig, !config.validChannels.isEmpty {
            var header = "# Valid channels: \(config.validChannels.joined(separator: ", "))."
            if config.channelRequired { header += " Channel must be included for every message." }
            if hasFunctionTools { header += "\nCalls to these tools must go to the commentary channel: 'functions'." }
            sections.append(header)
        }
        return sections.joined(separator: "\n\n")
    }

    /// The developer message's text: instructions, then tools.
    public static func developerText(_ d: DeveloperContent) -> String {
        var sections = [String]()
        if let instructions = d.instructions { sections += ["# Instructions", instructions] }
        if let tools = d.tools, !tools.isEmpty { sections.append(ToolsSection.render(tools)) }
        return sections.joined(separator: "\n\n")
    }
}
