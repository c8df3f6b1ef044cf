import BPE

/// Parses completion ids into harmony messages one token at a time, exposing the current
/// message's role, channel, recipient, content type and the text each token added.
///
/// Strict mode (the default) follows the reference: a header must end with `<|message|>`. Lenient
/// mode accepts what models and users produce in practice: a stop token or the end of the stream
/// inside a header (a missing `<|message|>`) ends the message, with header words that are not
/// metadata kept as its text. In both modes a recipient may come after the channel
/// (`assistant<|channel|>commentary to=functions.f json`), and `role:name` names an author.
public struct HarmonyStreamParser: Sendable {
    public enum State: Sendable, Equatable {
        case expectStart, header, content
    }

    public let harmony: HarmonyEncoding
    public let strict: Bool
    /// Every token processed so far.
    public private(set) var tokens = [Rank]()
    /// The messages completed so far.
    public private(set) var messages = [Message]()
    public private(set) var state: State
    /// The text the last token added to the current message (nil when it added none).
    public private(set) var lastContentDelta: String?

    var nextRole: Role?
    var headerTokens = [Rank]()
    var header: Message?
    var content = ""
    var decoder: StreamingDecoder

    /// - Parameter role: the role of the message the ids start in (their header's `<|start|>` and
    ///   role were part of the prompt), or nil when the ids start with `<|start|>`.
    public init(harmony: HarmonyEncoding, role: Role? = nil, strict: Bool = true) {
        self.harmony = harmony
        self.strict = strict
        nextRole = role
        state = role == nil ? .expectStart : .header
        decoder = StreamingDecoder(encoding: harmony.encoding)
    }

    public var currentRole: Role? { state == .content ? header?.author.role : nextRole }
    public var currentChannel: String? { state == .content ? header?.channel : nil }
    public var currentRecipient: String? { state == .content ? header?.recipient : nil }
    public var currentContentType: String? { state == .content ? header?.contentType : nil }
    /// The current message's text so far.
    public var currentContent: String { state == .content ? content : "" }

    /// Consumes one id.
    /// - Throws: ``HarmonyError`` for ids that cannot start or continue a message here.
    public mutating func process(_ token: Rank) throws(HarmonyError) {
        tokens.append(token)
        lastContentDelta = nil
        switch state {
        case .expectStart:
            guard token == harmony.start else {
                throw HarmonyError("unexpected token \(token) while expecting the start token \(harmony.start)")
            }
            state = .header
        case .header:
            if token == harmony.message {
                let text = try decodeHeader()
                let (parsed, rest) = try parseHeader(text, role: nextRole, metadata: true)
                if let rest { throw HarmonyError("unexpected text in message header: \(rest)") }
                header = parsed
                nextRole = nil
                headerTokens = []
                content = ""
                decoder = StreamingDecoder(encoding: harmony.encoding)
                state = .content
            } else if !strict, harmony.stopTokens.contains(token) {
                try endHeaderWithoutMessage()
            } else {
                headerTokens.append(token)
            }
        case .content:
            if harmony.stopTokens.contains(token) {
                finishMessage()
            } else {
                let delta: String
                do { delta = try decoder.push(token) } catch { throw HarmonyError("token \(token) is not in \(harmony.encoding.name)") }
                if !delta.isEmpty {
                    content += delta
                    lastContentDelta = delta
                }
            }
        }
    }

    /// Ends the stream: completes a message in progress.
    /// - Throws: in strict mode, when the stream ends inside a header.
    public mutating func processEOS() throws(HarmonyError) {
        lastContentDelta = nil
        switch state {
        case .expectStart: break
        case .header:
            guard !strict else { throw HarmonyError("the stream ended inside a message header") }
            try endHeaderWithoutMessage()
        case .content: finishMessage()
        }
    }

    mutating func finishMessage() {
        let text = content + ((try? decoder.finish(.replace)) ?? "")
        if var message = header {
            message.content = [.text(text)]
            messages.append(message)
        }
        header = nil
        content = ""
        state = .expectStart
    }

    /// Lenient: a header that never reached `<|message|>`; its words after the metadata are text.
    mutating func endHeaderWithoutMessage() throws(HarmonyError) {
        if let role = nextRole, !headerTokens.isEmpty {
            let text = try decodeHeader()
            let (parsed, rest) = try parseHeader(text, role: role, metadata: false)
            var message = parsed
            message.content = [.text(rest ?? "")]
            messages.append(message)
        }
        headerTokens = []
        nextRole = nil
        state = .expectStart
    }

    func decodeHeader() throws(HarmonyError) -> String {
        guard let bytes = try? harmony.encoding.decodeBytes(headerTokens), let text = String(validating: bytes, as: UTF8.self) else {
            throw HarmonyError("the message header is not valid UTF-8 text")
        }
        return text
    }

    /// Splits a header into author, recipient, channel and content type. With `metadata` false
    /// (a malformed message) only the role and channel are read and the rest is returned as text.
    func parseHeader(_ headerText: String, role given: Role?, metadata: Bool) throws(HarmonyError) -> (Message, String?) {
        var text = headerText
        var channel: String?
        if let marker = text.firstRange(of: "<|channel|>") {
            let after = text[marker.upperBound...]
            let stop = after.unicodeScalars.firstIndex { $0.properties.isWhitespace || $0 == "<" } ?? after.endIndex
            let value = String(after[..<stop])
            guard !value.isEmpty else { throw HarmonyError("the header has <|channel|> but no channel name") }
            channel = value
            text = String(text[..<marker.lowerBound]) + String(after[stop...])
        }
        text = HarmonyStreamParser.trimmed(text)
        if text.contains("<|constrain|>") {
            text = HarmonyStreamParser.trimmed(text.replacing("<|constrain|>", with: " <|constrain|>"))
        }
        var parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }).map(String.init)
        var role: Role
        var name: String?
        var roleWord: String?
        if let given {
            role = given
        } else {
            guard let first = parts.first else { throw HarmonyError("the message header has no role") }
            roleWord = first
            if let known = Role(rawValue: first) {
                role = known
            } else if let colon = first.firstIndex(of: ":"), let known = Role(rawValue: String(first[..<colon])), known != .tool {
                role = known
                name = String(first[first.index(after: colon)...])
                parts.removeFirst()
            } else if parts.count > 1 || first.hasPrefix("to=") {
                role = .tool
                parts.removeFirst()
            } else {
                throw HarmonyError("unknown role: \(first)")
            }
        }
        if parts.first == role.rawValue { parts.removeFirst() }
        var recipient: String?
        var contentType: String?
        var rest: String?
        if metadata, let last = parts.popLast() {
            let count = parts.count + 1
            if last.hasPrefix("to=") {
                recipient = String(last.dropFirst(3))
            } else if count == 1 && !last.hasPrefix("<|constrain|>") {
                recipient = last
            } else {
                contentType = last
                if let raw = parts.popLast() { recipient = raw.hasPrefix("to=") ? String(raw.dropFirst(3)) : raw }
            }
        }
        if !parts.isEmpty { rest = parts.joined(separator: " ") }
        if role == .tool { name = roleWord }
        let message = Message(author: Author(role, name: name), content: [], recipient: recipient, channel: channel, contentType: contentType)
        return (message, rest)
    }

    static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension HarmonyStreamParser {
    /// The former spelling of ``init(harmony:role:strict:)``.
    @available(*, deprecated, renamed: "init(harmony:role:strict:)")
    public init(renderer: HarmonyEncoding, role: Role? = nil, strict: Bool = true) {
        self.init(harmony: renderer, role: role, strict: strict)
    }
}
