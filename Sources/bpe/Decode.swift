import ArgumentParser
import BPE

extension Bpe {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the exact bytes that whitespace-separated token ids stand for."
        )

        @OptionGroup var options: EncodingOptions

        @Option(help: ArgumentHelp("Special tokens' ids: keep (their text), skip (nothing, as mistral-common decodes), or refuse (an error).",
                                   valueName: "policy"))
        var special: SpecialTokenDecoding = .keep

        @Argument(help: "File of ids; standard input when omitted or -.")
        var file: String?

        func run() throws {
            let encoding = try options.load()
            let ids = try TokenIDText.parse(InputFile.read(file))
            Output.write(try encoding.decodeBytes(ids, specialTokens: special))
        }
    }
}

extension SpecialTokenDecoding: ExpressibleByArgument {}
