import ArgumentParser
import BPE
import BPEInspect
import Harmony
#if canImport(Glibc)
import Glibc
#endif

extension Bpe {
    struct HarmonyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "harmony",
            abstract: "Render and parse gpt-oss (harmony) conversations on o200k_harmony.",
            subcommands: [Render.self, Parse.self]
        )
    }
}

extension Bpe.HarmonyCommand {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render conversation JSON into the token stream a gpt-oss model reads.",
            discussion: """
            Reads {"messages": [...]} in openai-harmony's conversation JSON (content may be a plain \
            string). Shows the tokens in the inspector's view with special tokens marked \
            ([<|start|>]*), or prints the ids with --ids. Message text is always encoded as text: \
            <|start|> inside a message is never a control token.
            """
        )

        enum Purpose: String, ExpressibleByArgument, CaseIterable {
            case completion, training, conversation
        }

        @Option(name: .customLong("for"), help: ArgumentHelp(
            "completion (ends with <|start|> and the next role), training (a final answer ends with <|return|>) or conversation (the messages only).",
            valueName: "purpose"))
        var purpose: Purpose = .completion

        @Option(help: ArgumentHelp("The next turn's role, for completion.", valueName: "role"))
        var nextRole: Role = .assistant

        @Flag(help: "Keep earlier analysis messages (by default they are dropped once a final answer follows them).")
        var keepAnalysis = false

        @Flag(help: "Print the ids instead of the token view.")
        var ids = false

        @Flag(inversion: .prefixedNo, help: "Force colour on or off (default: on only for a terminal without NO_COLOR).")
        var color: Bool?

        @OptionGroup var folder: VocabularyFolderOption

        @Argument(help: "Conversation JSON file; standard input when omitted or -.")
        var file: String?

        func run() throws {
            let conversation = try Conversation(json: InputFile.text(InputFile.read(file), name: "the conversation"))
            let harmony = try HarmonyEncoding.load(vocabularyDirectory: folder.vocabDir)
            let tokens: [Rank]
            switch purpose {
            case .completion: tokens = try harmony.renderForCompletion(conversation, nextTurn: nextRole, autoDropAnalysis: !keepAnalysis)
            case .training: tokens = try harmony.renderForTraining(conversation, autoDropAnalysis: !keepAnalysis)
            case .conversation: tokens = try harmony.render(conversation, autoDropAnalysis: !keepAnalysis)
            }
            if ids {
                Output.write(TokenIDText.format(tokens) + "\n")
            } else {
                let inspection = try Inspection(ids: tokens, encoding: harmony.encoding)
                Output.write(TerminalRenderer(color: Output.useColor(color), showIDs: false).render([inspection]))
            }
        }
    }

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse completion ids (from a gpt-oss model) into messages, printed as conversation JSON.",
            discussion: """
            Ids are decimal numbers separated by white space or commas. Without --role they must start \
            with <|start|> (200006); with --role they continue a message whose header the prompt began \
            (as after rendering --for completion). --lenient accepts a missing <|message|> and a \
            stream that ends inside a header.

            With --events, ids are read as they arrive and each event is printed as one JSON object \
            per line as soon as it is complete: message_start, content_delta, tool_call_start, \
            tool_arguments_delta, tool_call_end (the arguments checked against --tools), \
            message_end (with its stop token) and error. Malformed input becomes error events \
            carrying its text and ids, parsing resumes at the next <|start|>, and the exit status \
            is 0; --strict stops at the first malformed part instead (exit status 1).
            """
        )

        @Option(help: ArgumentHelp("The role of the message the ids start in (its <|start|> and role were in the prompt).", valueName: "role"))
        var role: Role?

        @Flag(help: "Accept malformed headers the way models sometimes write them.")
        var lenient = false

        @Flag(help: "Print events as JSON Lines while the ids stream in, recovering from malformed input.")
        var events = false

        @Flag(help: "With --events: stop at the first malformed part instead of recovering.")
        var strict = false

        @Option(help: ArgumentHelp("With --events: the declared tools, to check calls against: a JSON list of Chat Completions tools ({\"type\": \"function\", \"function\": {name, description, parameters}}) or of {name, description, parameters}.",
                                   valueName: "file"))
        var tools: String?

        @OptionGroup var folder: VocabularyFolderOption

        @Argument(help: "File of ids; standard input when omitted or -.")
        var file: String?

        func validate() throws {
            if !events && (strict || tools != nil) { throw ValidationError("--strict and --tools go with --events") }
            if events && lenient { throw ValidationError("--events recovers from malformed input by itself; --lenient is for the message output") }
        }

        func run() throws {
            if events { return try streamEvents() }
            let ids = try TokenIDText.parse(InputFile.read(file))
            let harmony = try HarmonyEncoding.load(vocabularyDirectory: folder.vocabDir)
            let messages = try harmony.parse(ids, role: role, strict: !lenient)
            Output.write(Conversation(messages).json(pretty: true) + "\n")
        }
    }
}

extension Role: ExpressibleByArgument {}

extension Bpe.HarmonyCommand.Parse {
    /// `--events`: ids parsed as they are read, each event written (and so flushed) at once.
    func streamEvents() throws {
        let harmony = try HarmonyEncoding.load(vocabularyDirectory: folder.vocabDir)
        let declared = try tools.map { path in [ToolNamespace(name: "functions", tools: try Self.readTools(path))] }
        var parser = HarmonyEventParser(harmony: harmony, role: role, tools: declared, recover: !strict)
        func emit(_ records: [HarmonyEventRecord]) {
            for record in records { Output.write(record.json.compact + "\n") }
        }
        try InputFile.withDescriptor(file) { fd, name in
            var word = [UInt8]()
            var position = 0
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            func finishWord() throws {
                guard !word.isEmpty else { return }
                let ids: [Rank]
                do { ids = try TokenIDText.parse(word) } catch {
                    throw ValidationError("\(name): '\(String(decoding: word.prefix(40), as: UTF8.self))' at position \(position) is not a token id")
                }
                word.removeAll(keepingCapacity: true)
                for id in ids {
                    position += 1
                    emit(try parser.process(id))
                }
            }
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 { if errno == EINTR { continue }; throw ValidationError("\(name): \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                for byte in buffer[0..<n] {
                    if TokenIDText.isSeparator(byte) {
                        try finishWord()
                    } else {
                        word.append(byte)
                    }
                }
            }
            try finishWord()
            emit(try parser.finish())
        }
    }

    /// Function tools from a JSON list of Chat Completions tools or of bare function objects.
    static func readTools(_ path: String) throws -> [ToolDescription] {
        let value = try JSONValue.parse(InputFile.read(path))
        guard let list = value.arrayValue else { throw ValidationError("\(path): not a JSON list of tools") }
        return try list.enumerated().map { index, item in
            let function = item["function"] ?? item
            guard let name = function["name"]?.stringValue else { throw ValidationError("\(path): tool \(index) has no name") }
            return ToolDescription(name: name, description: function["description"]?.stringValue ?? "",
                                   parameters: function["parameters"].flatMap { $0.isNull ? nil : $0 })
        }
    }
}
