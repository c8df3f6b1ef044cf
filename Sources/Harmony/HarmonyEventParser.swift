import BPE

/// Parses completion ids into typed events as they stream in: message starts, content and tool
/// argument deltas, tool calls with checked arguments, message ends with their stop token, and —
/// in recovering mode — an error event for each malformed stretch instead of a thrown error.
///
/// Definitions: a *message* is `<|start|>` header `<|message|>` content, ended by `<|end|>`,
/// `<|call|>` or `<|return|>`. A *call* is an assistant message whose recipient is not `assistant`.
///
/// Invariant: every id processed is in the ``HarmonyEventRecord/ids`` of exactly one event, in
/// order; concatenated, the events' ids are the input. Text is never dropped, only labelled.
///
/// Recovery (`recover: true`), case by case:
///
/// | input | events |
/// |---|---|
/// | ids before a `<|start|>` (text after `<|return|>`, a missing `<|start|>`) | one `textOutsideMessage` error when the next `<|start|>` or the end comes |
/// | a stop token, `<|start|>` or the end inside a header | `headerWithoutMessage` error with the header's text; a `<|start|>` begins the next header |
/// | `<|message|>` after a header that cannot be read | `malformedHeader` error holding the header and its content up to the stop token |
/// | `<|start|>` inside content | `messageEnd(stop: .none)`, an `unterminatedMessage` error, then the next header |
/// | `<|call|>` ending a message without a recipient | `messageEnd(stop: .call)` then a `callWithoutRecipient` error (no ids; strict mode accepts it silently, as the reference does) |
/// | an id the encoding lacks | an `unknownToken` error for that id |
/// | the end inside content | `messageEnd(stop: .none)` |
///
/// Without `recover` the parser is the reference's `StreamableParser`, token by token (state,
/// channel, recipient, content type and delta after each id): malformed input throws
/// ``HarmonyError`` where the reference raises, and what the reference accepts is read as it reads
/// it (`<|start|>` and stop tokens inside a header are part of the header, `<|start|>` inside
/// content is text, the end inside content ends the message). One difference, shared with
/// ``HarmonyStreamParser``: a `role:name` header (which the reference renders for a named author
/// but refuses to parse back) is read as that author.
///
/// - Complexity: O(1) amortised per id, plus the header's length at `<|message|>` and the
///   arguments' length when a call ends.
public struct HarmonyEventParser: Sendable {
    public let harmony: HarmonyEncoding
    /// Report malformed input as error events (true) or throw (false).
    public let recover: Bool
    /// Declared tools by recipient (`functions.get_weather`), nil when none were declared.
    public let tools: [String: ToolDescription]?

    enum State: Equatable { case between, header, content, skipping(HarmonyProblem.Kind) }
    var state: State
    var role: Role?
    var pending = [Rank]()          // ids consumed, not yet in an event
    var current: Message?
    var content = ""
    var target: ToolCallTarget?
    var decoder: StreamingDecoder
    let headerReader: HarmonyStreamParser

    /// - Parameters:
    ///   - role: the role of the message the ids start in (the prompt ended with `<|start|>` and
    ///     this role), or nil when the ids start with `<|start|>`.
    ///   - tools: the declared tool namespaces (a developer message's `functions`, a system
    ///     message's `browser`): calls are checked against them. Nil: calls are not checked.
    public init(harmony: HarmonyEncoding, role: Role? = nil, tools: [ToolNamespace]? = nil, recover: Bool = true) {
        self.harmony = harmony
        self.recover = recover
        self.role = role
        state = role == nil ? .between : .header
        decoder = StreamingDecoder(encoding: harmony.encoding)
        headerReader = HarmonyStreamParser(harmony: harmony, strict: true)
        self.tools = tools.map { namespaces in
            var byRecipient = [String: ToolDescription]()
            for namespace in namespaces {
                for tool in namespace.tools { byRecipient[namespace.name + "." + tool.name] = tool }
                if namespace.tools.isEmpty { byRecipient[namespace.name] = ToolDescription(name: namespace.name, description: "") }
            }
            return byRecipient
        }
    }

    /// Where the parser is: between messages, in a header, or in content (as the reference's
    /// `StreamableParser.state`; skipping a malformed message counts as between messages).
    public enum Phase: Sendable, Equatable { case expectStart, header, content }

    /// Where the parser is.
    public var phase: Phase {
        switch state {
        case .between, .skipping: .expectStart
        case .header: .header
        case .content: .content
        }
    }

    /// The message whose content is being read (its author, channel, recipient, content type;
    /// its text so far), nil outside content.
    public var currentMessage: Message? {
        guard state == .content, var message = current else { return nil }
        message.content = [.text(content)]
        return message
    }

    /// Consumes one id; returns the events it completes, in order.
    /// - Throws: ``HarmonyError`` without `recover`, for malformed input.
    public mutating func process(_ id: Rank) throws(HarmonyError) -> [HarmonyEventRecord] {
        var out = [HarmonyEventRecord]()
        let isStop = harmony.stopTokens.contains(id)
        switch state {
        case .between:
            if id == harmony.start {
                flushProblem(.textOutsideMessage, into: &out)
                pending = [id]
                state = .header
            } else {
                try fail("ids outside a message (no <|start|> before them)")
                pending.append(id)
            }
        case let .skipping(kind):
            pending.append(id)
            if isStop {
                flushProblem(kind, into: &out)
                state = .between
            } else if id == harmony.start {
                pending.removeLast()
                flushProblem(kind, into: &out)
                pending = [id]
                state = .header
            }
        case .header:
            if id == harmony.message {
                pending.append(id)
                try startMessage(into: &out)
            } else if recover && (isStop || id == harmony.start) {
                if isStop { pending.append(id) }
                flushProblem(.headerWithoutMessage, into: &out)
                role = nil
                pending = id == harmony.start ? [id] : []
                state = id == harmony.start ? .header : .between
            } else {
                pending.append(id)
            }
        case .content:
            if isStop {
                try endMessage(stop: id == harmony.end ? .end : id == harmony.call ? .call : .return, stopID: id, into: &out)
            } else if id == harmony.start && recover {
                try endMessage(stop: .none, stopID: nil, into: &out)
                out.append(HarmonyEventRecord(event: .error(HarmonyProblem(kind: .unterminatedMessage, text: "",
                                                                           message: "the message had no stop token before the next <|start|>")), ids: []))
                pending = [id]
                state = .header
            } else {
                pending.append(id)
                let delta: String
                do { delta = try decoder.push(id) } catch {
                    pending.removeLast()
                    try fail("token \(id) is not in \(harmony.encoding.name)")
                    // Bytes held back for a character the unknown id interrupts come out first (as
                    // U+FFFD), with their ids, so that the events keep the ids' order.
                    let held = (try? decoder.finish(.replace)) ?? ""
                    decoder = StreamingDecoder(encoding: harmony.encoding)
                    if !pending.isEmpty {
                        content += held
                        out.append(HarmonyEventRecord(event: target == nil ? .contentDelta(held, channel: current?.channel)
                                                      : .toolArgumentsDelta(held), ids: pending))
                        pending = []
                    }
                    out.append(HarmonyEventRecord(event: .error(HarmonyProblem(kind: .unknownToken, text: "",
                                                                               message: "token \(id) is not in \(harmony.encoding.name)")), ids: [id]))
                    return out
                }
                if !delta.isEmpty {
                    content += delta
                    out.append(HarmonyEventRecord(event: target == nil ? .contentDelta(delta, channel: current?.channel) : .toolArgumentsDelta(delta), ids: pending))
                    pending = []
                }
            }
        }
        return out
    }

    /// Ends the stream: ends a message in progress, reports what is left.
    /// - Throws: ``HarmonyError`` without `recover`, when the stream ends inside a header.
    public mutating func finish() throws(HarmonyError) -> [HarmonyEventRecord] {
        var out = [HarmonyEventRecord]()
        switch state {
        case .between: flushProblem(.textOutsideMessage, into: &out)
        case let .skipping(kind): flushProblem(kind, into: &out)
        case .header:
            try fail("the stream ended inside a message header")
            flushProblem(.headerWithoutMessage, into: &out)
        case .content: try endMessage(stop: .none, stopID: nil, into: &out)
        }
        state = .between
        return out
    }

    // MARK: - Steps

    /// Without `recover`: throws `message`.
    func fail(_ message: String) throws(HarmonyError) {
        if !recover { throw HarmonyError(message) }
    }

    /// The pending ids as one error event (none when there are none).
    mutating func flushProblem(_ kind: HarmonyProblem.Kind, into out: inout [HarmonyEventRecord]) {
        guard !pending.isEmpty else { return }
        let text = lossyText(pending)
        let message: String
        switch kind {
        case .textOutsideMessage: message = "\(pending.count) id(s) outside a message"
        case .headerWithoutMessage: message = "a header without <|message|>"
        case .malformedHeader: message = "a message whose header cannot be read"
        default: message = kind.rawValue
        }
        out.append(HarmonyEventRecord(event: .error(HarmonyProblem(kind: kind, text: text, message: message)), ids: pending))
        pending = []
    }

    /// The ids' bytes as text (U+FFFD where they are not UTF-8), ids the encoding lacks left out.
    func lossyText(_ ids: [Rank]) -> String {
        let bytes = ids.flatMap { (try? harmony.encoding.decodeBytes([$0])) ?? [] }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func startMessage(into out: inout [HarmonyEventRecord]) throws(HarmonyError) {
        // The header's ids lie between `<|start|>` (when seen) and `<|message|>`.
        var headerIDs = pending.dropLast()
        if headerIDs.first == harmony.start { headerIDs = headerIDs.dropFirst() }
        let message: Message
        do throws(HarmonyError) {
            guard let bytes = try? harmony.encoding.decodeBytes(Array(headerIDs)), let text = String(validating: bytes, as: UTF8.self) else {
                throw HarmonyError("the message header is not valid UTF-8 text")
            }
            let (parsed, rest) = try headerReader.parseHeader(text, role: role, metadata: true)
            if let rest { throw HarmonyError("unexpected text in message header: \(rest)") }
            message = parsed
        } catch {
            try fail(error.message)
            role = nil
            state = .skipping(.malformedHeader)
            return
        }
        role = nil
        current = message
        content = ""
        decoder = StreamingDecoder(encoding: harmony.encoding)
        out.append(HarmonyEventRecord(event: .messageStart(message), ids: pending))
        pending = []
        if message.author.role == .assistant, let recipient = message.recipient, recipient != "assistant" {
            target = ToolCallTarget(recipient: recipient)
            out.append(HarmonyEventRecord(event: .toolCallStart(target!), ids: []))
        } else {
            target = nil
        }
        state = .content
    }

    mutating func endMessage(stop: StopToken, stopID: Rank?, into out: inout [HarmonyEventRecord]) throws(HarmonyError) {
        // Bytes held back for an incomplete character are flushed (as U+FFFD) into a last delta.
        let rest = (try? decoder.finish(.replace)) ?? ""
        if !rest.isEmpty || !pending.isEmpty {
            content += rest
            out.append(HarmonyEventRecord(event: target == nil ? .contentDelta(rest, channel: current?.channel) : .toolArgumentsDelta(rest), ids: pending))
            pending = []
        }
        var message = current ?? Message(.assistant, "")
        message.content = [.text(content)]
        if let target { out.append(HarmonyEventRecord(event: .toolCallEnd(target, check(target, content, contentType: message.contentType)), ids: [])) }
        out.append(HarmonyEventRecord(event: .messageEnd(message, stop: stop), ids: stopID.map { [$0] } ?? []))
        // The reference accepts this; only the recovering mode points it out.
        if stop == .call, target == nil, recover {
            out.append(HarmonyEventRecord(event: .error(HarmonyProblem(kind: .callWithoutRecipient, text: "",
                                                                       message: "<|call|> ended a message with no recipient")), ids: []))
        }
        current = nil
        target = nil
        content = ""
        state = .between
    }

    /// A finished call's arguments against the declared tools.
    func check(_ target: ToolCallTarget, _ text: String, contentType: String?) -> ToolCallCheck {
        guard let tools else { return .unchecked(text: text) }
        guard let tool = tools[target.recipient] else { return .undeclaredTool(text: text) }
        let isCode = target.recipient == "python" || (contentType.map { !$0.contains("json") } ?? false)
        guard !isCode else { return .unchecked(text: text) }
        let arguments: JSONValue
        do { arguments = try JSONValue.parse(text) } catch { return .invalidJSON(message: error.description, text: text) }
        guard let schema = tool.parameters else { return .valid(arguments) }
        if let violation = JSONSchemaCheck.firstViolation(arguments, schema: schema) {
            return .schemaViolation(path: violation.path, message: violation.message, arguments: arguments)
        }
        return .valid(arguments)
    }
}
