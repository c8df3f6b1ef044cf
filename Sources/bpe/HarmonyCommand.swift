import ArgumentParser
import BPE
import BPEInspect
import Harmony

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
            """
        )

        @Option(help: ArgumentHelp("The role of the message the ids start in (its <|start|> and role were in the prompt).", valueName: "role"))
        var role: Role?

        @Flag(help: "Accept malformed headers the way models sometimes write them.")
        var lenient = false

        @OptionGroup var folder: VocabularyFolderOption

        @Argument(help: "File of ids; standard input when omitted or -.")
        var file: String?

        func run() throws {
            let ids = try TokenIDText.parse(InputFile.read(file))
            let harmony = try HarmonyEncoding.load(vocabularyDirectory: folder.vocabDir)
            let messages = try harmony.parse(ids, role: role, strict: !lenient)
            Output.write(Conversation(messages).json(pretty: true) + "\n")
        }
    }
}

extension Role: ExpressibleByArgument {}
