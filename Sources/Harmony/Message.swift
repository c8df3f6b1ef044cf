/// Who wrote a message.
public enum Role: String, Sendable, CaseIterable, Codable {
    case system, developer, user, assistant, tool
}

/// A message's author: a role and, optionally, a name (a tool's name is how it is addressed).
public struct Author: Sendable, Equatable {
    public var role: Role
    public var name: String?
    public init(_ role: Role, name: String? = nil) {
        self.role = role
        self.name = name
    }
}

/// One part of a message's content.
public enum Content: Sendable, Equatable {
    case text(String)
    case system(SystemContent)
    case developer(DeveloperContent)
}

/// A harmony message: author, optional recipient, channel and content type, and content.
public struct Message: Sendable, Equatable {
    public var author: Author
    /// Who the message is for: a tool such as `functions.get_weather` (an assistant message with a
    /// recipient is a tool call and ends with `<|call|>`), or `assistant` for a tool's answer.
    public var recipient: String?
    /// `analysis` (reasoning), `commentary` (tool calls, preambles) or `final` (the answer).
    public var channel: String?
    /// For example `<|constrain|>json` or `json`.
    public var contentType: String?
    public var content: [Content]

    public init(author: Author, content: [Content], recipient: String? = nil, channel: String? = nil,
                contentType: String? = nil) {
        self.author = author
        self.content = content
        self.recipient = recipient
        self.channel = channel
        self.contentType = contentType
    }

    /// A text message from `role`.
    public init(_ role: Role, _ text: String, channel: String? = nil, recipient: String? = nil) {
        self.init(author: Author(role), content: [.text(text)], recipient: recipient, channel: channel)
    }

    /// The text parts joined (system and developer parts are left out).
    public var text: String {
        content.map { if case let .text(t) = $0 { t } else { "" } }.joined()
    }
}

/// A conversation: messages in order.
public struct Conversation: Sendable, Equatable {
    public var messages: [Message]
    public init(_ messages: [Message]) { self.messages = messages }
}
