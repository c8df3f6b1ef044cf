import BPE
import Foundation
import Testing
@testable import Harmony

/// The event parser: strict mode gives the reference's messages (through the strict parser, which
/// equals openai-harmony on the fixtures); recovering mode never throws and accounts for every id.
@Suite struct HarmonyEventParserTests {
    static let harmony = try! HarmonyEncoding.load()

    static func events(_ ids: [Rank], role: Role? = nil, tools: [ToolNamespace]? = nil,
                       recover: Bool = true) throws(HarmonyError) -> [HarmonyEventRecord] {
        var parser = HarmonyEventParser(harmony: harmony, role: role, tools: tools, recover: recover)
        var out = [HarmonyEventRecord]()
        for id in ids { out += try parser.process(id) }
        return out + (try parser.finish())
    }

    static func messages(_ records: [HarmonyEventRecord]) -> [Message] {
        records.compactMap { if case let .messageEnd(message, _) = $0.event { message } else { nil } }
    }

    static func ids(_ text: String) -> [Rank] { try! harmony.encoding.encode(text, allowedSpecial: .all) }

    static func kinds(_ records: [HarmonyEventRecord]) -> [String] {
        records.map { record in
            switch record.event {
            case .messageStart: "start"
            case .contentDelta: "delta"
            case .toolCallStart: "call"
            case .toolArgumentsDelta: "args"
            case .toolCallEnd: "callEnd"
            case let .messageEnd(_, stop): "end(\(stop.rawValue))"
            case let .error(problem): "error(\(problem.kind.rawValue))"
            }
        }
    }

    @Test func strictEventsGiveTheReferenceMessages() throws {
        let fixture = try HarmonyTests.fixture()
        for (i, item) in try #require(fixture["cases"]?.arrayValue).enumerated() {
            let ids = HarmonyTests.ids(item["render"])
            let records = try Self.events(ids, recover: false)
            #expect(Self.messages(records) == (try Self.harmony.parse(ids)), "case \(i)")
            #expect(records.flatMap(\.ids) == ids, "case \(i): the events' ids are not the input")
        }
        for item in try #require(fixture["parse_cases"]?.arrayValue) where item["strict"]?.boolValue ?? true {
            let role = item["role"]?.stringValue.flatMap(Role.init(rawValue:))
            let ids = HarmonyTests.ids(item["ids"])
            let text = item["text"]?.stringValue ?? ""
            if item["parsed"] != nil {
                #expect(Self.messages(try Self.events(ids, role: role, recover: false)) == (try Self.harmony.parse(ids, role: role)), "\(text)")
            } else {
                #expect(throws: HarmonyError.self, "\(text)") { try Self.events(ids, role: role, recover: false) }
            }
        }
    }

    /// Token by token against openai-harmony's StreamableParser (Tools/gen-harmony-stream-fixtures):
    /// after each id the same state, channel, recipient, content type and content delta; an error
    /// at the same id; the end of the stream accepted or refused alike.
    @Test func strictStreamEqualsTheReferenceTokenByToken() throws {
        let url = try #require(Bundle.module.url(forResource: "harmony-stream", withExtension: "json", subdirectory: "Fixtures"))
        let traces = try #require(try JSONValue.parse(Array(try Data(contentsOf: url)))["traces"]?.arrayValue)
        #expect(traces.count > 320)
        var steps = 0, namedAuthors = 0
        for (number, trace) in traces.enumerated() {
            let ids = HarmonyTests.ids(trace["ids"])
            let expected = try #require(trace["steps"]?.arrayValue)
            var parser = HarmonyEventParser(harmony: Self.harmony, role: trace["role"]?.stringValue.flatMap(Role.init(rawValue:)), recover: false)
            var failed = false
            for (index, id) in ids.enumerated() {
                let records: [HarmonyEventRecord]
                do { records = try parser.process(id) } catch {
                    #expect(index == expected.count && trace["error"] != nil, "trace \(number): error at id \(index): \(error)")
                    failed = true
                    break
                }
                guard index < expected.count else {
                    // The one documented difference: the reference refuses the `role:name` headers it renders.
                    if let error = trace["error"]?.stringValue, error.hasPrefix("Unknown role: "), error.contains(":"),
                       Role(rawValue: String(error.dropFirst("Unknown role: ".count).prefix { $0 != ":" })) != nil {
                        namedAuthors += 1
                        failed = true
                        break
                    }
                    Issue.record("trace \(number): the reference failed at id \(index) (\(trace["error"]?.stringValue ?? "")), this parser did not")
                    failed = true
                    break
                }
                let step = try #require(expected[index].arrayValue)
                let phase: String = switch parser.phase { case .expectStart: "expectStart"; case .header: "header"; case .content: "content" }
                let deltas = records.compactMap { record -> String? in
                    switch record.event {
                    case let .contentDelta(delta, _), let .toolArgumentsDelta(delta): delta
                    default: nil
                    }
                }
                let message = parser.currentMessage
                let actual: [String?] = [phase, message?.channel, message?.recipient, message?.contentType, deltas.isEmpty ? nil : deltas.joined()]
                #expect(actual == step.map(\.stringValue), "trace \(number), id \(index) (\(id))")
                steps += 1
            }
            if !failed {
                #expect(trace["error"] == nil || trace["error"]!.isNull, "trace \(number): the reference failed, this parser did not")
                let refused = (try? parser.finish()) == nil
                #expect(refused == (trace["eos_error"]?.stringValue != nil), "trace \(number): end of stream")
            }
        }
        #expect(steps > 40_000 && namedAuthors < 60)
    }

    /// The docs' table, row by row.
    @Test func recoveryCases() throws {
        func run(_ text: String, role: Role? = nil) throws -> [String] { Self.kinds(try Self.events(Self.ids(text), role: role)) }
        #expect(try run("<|start|>assistant<|channel|>final<|message|>Hi<|return|>") == ["start", "delta", "end(return)"])
        #expect(try run("<|start|>assistant<|channel|>final<|message|>Hi<|return|> and more")
            == ["start", "delta", "end(return)", "error(textOutsideMessage)"])
        #expect(try run("stray<|start|>user<|message|>x<|end|>") == ["error(textOutsideMessage)", "start", "delta", "end(end)"])
        #expect(try run("<|start|>assistant<|channel|>final<|end|>") == ["error(headerWithoutMessage)"])
        #expect(try run("<|start|>assistant<|channel|>fin<|start|>user<|message|>q<|end|>")
            == ["error(headerWithoutMessage)", "start", "delta", "end(end)"])
        #expect(try run("<|start|>assistant<|channel|>final") == ["error(headerWithoutMessage)"])
        #expect(try run("<|start|><|message|>body<|end|><|start|>user<|message|>q<|end|>")
            == ["error(malformedHeader)", "start", "delta", "end(end)"])
        #expect(try run("<|start|>assistant to=functions.f json extra<|message|>{}<|call|>") == ["error(malformedHeader)"])
        #expect(try run("<|start|>assistant<|channel|>final<|message|>Hi<|start|>user<|message|>q<|end|>")
            == ["start", "delta", "end(none)", "error(unterminatedMessage)", "start", "delta", "end(end)"])
        #expect(try run("<|start|>assistant<|channel|>final<|message|>Hi<|call|>") == ["start", "delta", "end(call)", "error(callWithoutRecipient)"])
        #expect(try run("<|channel|>final<|message|>Hi", role: .assistant) == ["start", "delta", "end(none)"])
        var unknown = Self.ids("<|start|>user<|message|>a")
        unknown.append(999_999)
        let records = try Self.events(unknown + Self.ids("b<|end|>"))
        #expect(Self.kinds(records) == ["start", "delta", "error(unknownToken)", "delta", "end(end)"])
        #expect(Self.messages(records).first?.text == "ab")
        // An unknown id inside a character: the held bytes come out first, as U+FFFD, with their ids.
        let snake = Self.ids("🐍")
        try #require(snake.count > 1)
        let split = Self.ids("<|start|>user<|message|>") + [snake[0], 999_999] + snake.dropFirst() + Self.ids("<|end|>")
        let splitRecords = try Self.events(split)
        #expect(splitRecords.flatMap(\.ids) == split)
        #expect(Self.kinds(splitRecords) == ["start", "delta", "error(unknownToken)", "delta", "end(end)"])
        // Without recovery each of these throws.
        for text in ["x<|start|>user<|message|>x<|end|>", "<|start|>assistant<|end|>", "<|start|><|message|>b<|end|>"] {
            #expect(throws: HarmonyError.self, "\(text)") { try Self.events(Self.ids(text), recover: false) }
        }
        // As in the reference, <|call|> may end a message without a recipient when not recovering.
        #expect(Self.kinds(try Self.events(Self.ids("<|start|>assistant<|message|>a<|call|>"), recover: false)) == ["start", "delta", "end(call)"])
        // As in the reference, `<|start|>` inside content is its text when not recovering.
        let strict = try Self.events(Self.ids("<|start|>user<|message|>a<|start|>b<|end|>"), recover: false)
        #expect(Self.messages(strict).map(\.text) == ["a<|start|>b"])
    }

    /// Rendered completions mutated at random (control tokens dropped, duplicated, swapped or
    /// inserted, cut anywhere, random ids): recovering never throws, and the events' ids are the input.
    @Test func mutatedCompletionsLoseNothing() throws {
        let renders = try #require(try HarmonyTests.fixture()["cases"]?.arrayValue).map { HarmonyTests.ids($0["render"]) }
        let controls: [Rank] = [200_006, 200_007, 200_008, 200_005, 200_003, 200_012, 200_002]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            var ids = renders[round % renders.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !ids.isEmpty {
                let at = Int.random(in: 0..<ids.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: ids.remove(at: at)
                case 1: ids.insert(ids[at], at: at)
                case 2: ids.swapAt(at, Int.random(in: 0..<ids.count, using: &rng))
                case 3: ids.insert(controls.randomElement(using: &rng)!, at: at)
                case 4: ids = Array(ids[..<at])
                default: ids.insert(Rank.random(in: 0..<202_000, using: &rng), at: at)
                }
            }
            let records = try Self.events(ids, role: round % 5 == 0 ? .assistant : nil)
            #expect(records.flatMap(\.ids) == ids, "round \(round): \(ids)")
            // Every message's text is the text of its deltas.
            var text = ""
            for record in records {
                switch record.event {
                case let .contentDelta(delta, _), let .toolArgumentsDelta(delta): text += delta
                case let .messageEnd(message, _): #expect(message.text == text); text = ""
                default: break
                }
            }
        }
    }

    @Test func toolCallsAreChecked() throws {
        let parameters = try JSONValue.parse(#"""
            {"type": "object", "required": ["city"], "additionalProperties": false, "properties": {
              "city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
              "days": {"type": "integer", "minimum": 1}, "tags": {"type": "array", "items": {"type": "string"}},
              "where": {"type": "object", "properties": {"lat": {"type": "number"}}, "required": ["lat"]}}}
            """#)
        let tools = [ToolNamespace(name: "functions", tools: [ToolDescription(name: "get_weather", description: "", parameters: parameters)]),
                     ToolNamespace(name: "python")]
        func check(_ arguments: String, to recipient: String = "functions.get_weather") throws -> ToolCallCheck? {
            let text = "<|start|>assistant<|channel|>commentary to=\(recipient) <|constrain|>json<|message|>\(arguments)<|call|>"
            let records = try Self.events(Self.ids(text), tools: tools)
            #expect(Self.kinds(records) == ["start", "call"] + Array(repeating: "args", count: Self.kinds(records).count - 4) + ["callEnd", "end(call)"],
                    "\(Self.kinds(records))")
            return records.compactMap { if case let .toolCallEnd(_, result) = $0.event { result } else { nil } }.first
        }
        #expect(try check(#"{"city": "Oslo", "days": 3, "tags": ["a"], "where": {"lat": 59.9}}"#)
            == .valid(try JSONValue.parse(#"{"city": "Oslo", "days": 3, "tags": ["a"], "where": {"lat": 59.9}}"#)))
        func violation(_ arguments: String) throws -> String? {
            if case let .schemaViolation(path, message, _) = try check(arguments) { return path + " " + message }
            return nil
        }
        #expect(try violation(#"{"unit": "celsius"}"#) == #"$ missing required property "city""#)
        #expect(try violation(#"{"city": "Oslo", "unit": "kelvin"}"#) == #"$.unit "kelvin" is not one of "celsius", "fahrenheit""#)
        #expect(try violation(#"{"city": "Oslo", "days": 2.5}"#) == "$.days expected integer, found number")
        #expect(try violation(#"{"city": "Oslo", "days": 0}"#) == "$.days 0 is less than 1")
        #expect(try violation(#"{"city": "Oslo", "tags": ["a", 3]}"#) == "$.tags[1] expected string, found number")
        #expect(try violation(#"{"city": "Oslo", "where": {}}"#) == #"$.where missing required property "lat""#)
        #expect(try violation(#"{"city": "Oslo", "extra": 1}"#) == #"$.extra property "extra" is not allowed"#)
        guard case .invalidJSON = try check(#"{"city": "Oslo""#) else { Issue.record("unterminated JSON accepted"); return }
        #expect(try check("{}", to: "functions.launch") == .undeclaredTool(text: "{}"))
        #expect(try check("print(1)", to: "python") == .unchecked(text: "print(1)"))
        let unchecked = try Self.events(Self.ids("<|start|>assistant to=functions.x<|message|>{}<|call|>"))
        #expect(unchecked.contains { $0.event == .toolCallEnd(ToolCallTarget(recipient: "functions.x"), .unchecked(text: "{}")) })
    }
}
