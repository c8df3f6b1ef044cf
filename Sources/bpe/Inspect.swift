import ArgumentParser
import BPE
import BPEInspect

extension Bpe {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how encodings cut text into tokens: emoji, CJK, Arabic, code, digit runs.",
            discussion: """
            Text comes from the argument, --file, or standard input. Each encoding's view shows every \
            token; with two or more encodings the views stack, each with its token count. Whitespace \
            is drawn visible (· space, → tab, ↵ newline). A character split over several tokens (an \
            emoji in two, a CJK character in three) is grouped and its tokens shown as hex bytes: \
            {🐍: [F0 9F][90 8D]}. A summary table per encoding counts characters, bytes, pieces and \
            tokens per category (emoji, CJK, Arabic, letters, digits, whitespace, code/punct).

            Colour is used only on a terminal and never when NO_COLOR is set; otherwise tokens are \
            written in brackets: [token], [token|id] with --ids, [<|endoftext|>]* for a special token.

            Default encodings: o200k_base; with --demo, o200k_base and cl100k_base.
            """
        )

        @OptionGroup var encodings: EncodingListOptions

        @Option(help: ArgumentHelp("Read the text from this file.", valueName: "path"))
        var file: String?

        @Flag(help: "Inspect the built-in demo text (emoji, CJK, Arabic, Hebrew, Hindi, code, numbers).")
        var demo = false

        @Flag(help: "Print each token's id with it.")
        var ids = false

        @Option(help: ArgumentHelp("Output: text, json (tokens with ids, bytes, ranges, categories) or html (a self-contained page).", valueName: "format"))
        var format: Format = .text

        @Flag(inversion: .prefixedNo, help: "Force colour on or off (default: on only for a terminal without NO_COLOR).")
        var color: Bool?

        @Flag(help: "Encode special-token text such as <|endoftext|> as control tokens (default: as plain text).")
        var allowSpecial = false

        @Argument(help: "The text to inspect (default: standard input).")
        var text: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

        func validate() throws {
            let sources = (demo ? 1 : 0) + (file != nil ? 1 : 0) + (text != nil ? 1 : 0)
            if sources > 1 { throw ValidationError("give the text one way: an argument, --file or --demo") }
        }

        func run() throws {
            let bytes: [UInt8]
            if demo { bytes = Array(DemoText.text.utf8) }
            else if let text { bytes = Array(text.utf8) }
            else { bytes = try InputFile.read(file) }
            let input = try InputFile.text(bytes, name: "the input",
                                           hint: "inspect shows text; `bpe encode` and `bpe count` take any bytes")
            let loaded = try encodings.load(defaults: demo ? ["o200k_base", "cl100k_base"] : ["o200k_base"])
            let inspections = try loaded.map { encoding in
                try Inspection(text: input, encoding: encoding, allowSpecial: allowSpecial)
            }
            switch format {
            case .text:
                Output.write(TerminalRenderer(color: Output.useColor(color), showIDs: ids).render(inspections))
            case .json:
                Output.write(JSONRenderer.render(inspections))
            case .html:
                Output.write(HTMLRenderer.render(inspections))
            }
        }
    }
}
