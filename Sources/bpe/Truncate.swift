import ArgumentParser
import BPE
import BPEInspect

/// The token budget and the input, shared by `truncate` and `chunk`.
struct BudgetOptions: ParsableArguments {
    @Option(help: "The token budget.")
    var maxTokens: Int

    @Argument(help: "Input file; standard input when omitted or -.")
    var file: String?

    func validate() throws {
        if maxTokens < 0 { throw ValidationError("--max-tokens must not be negative") }
    }

    /// The input's bytes and text; it must be UTF-8.
    func read() throws -> ([UInt8], String) {
        let bytes = try InputFile.read(file)
        return (bytes, try InputFile.text(bytes, name: "the input"))
    }
}

extension Bpe {
    struct Truncate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the longest prefix of the input that fits in N tokens, cut on a character boundary.",
            discussion: "Unlike decoding the first N ids, the output never ends inside a character and re-encodes to at most N tokens (special-token text counts as plain text)."
        )

        @OptionGroup var options: EncodingOptions
        @OptionGroup var budget: BudgetOptions

        func run() throws {
            let encoding = try options.load()
            let (bytes, text) = try budget.read()
            Output.write(Array(bytes[..<(try encoding.prefixLength(text, maxTokens: budget.maxTokens))]))
        }
    }

    struct Chunk: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the input into chunks of at most N tokens, cut on character boundaries, as JSON Lines.",
            discussion: "Each line: {\"index\", \"start\", \"end\" (UTF-8 byte range), \"tokens\", \"text\"}. With --overlap K, each chunk after the first starts where the previous chunk's last K tokens begin. A single character that needs more tokens than the budget is a chunk of its own."
        )

        @OptionGroup var options: EncodingOptions
        @OptionGroup var budget: BudgetOptions

        @Option(help: "Tokens each chunk repeats from the end of the previous one.")
        var overlap: Int = 0

        func validate() throws {
            if budget.maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
            if overlap < 0 || overlap >= budget.maxTokens { throw ValidationError("--overlap must be at least 0 and below --max-tokens") }
        }

        func run() throws {
            let encoding = try options.load()
            let (bytes, text) = try budget.read()
            var out = ""
            for (index, range) in try encoding.chunks(text, maxTokens: budget.maxTokens, overlap: overlap).enumerated() {
                let chunk = String(decoding: bytes[range], as: UTF8.self)
                let tokens = try encoding.encodeOrdinary(chunk).count
                out += "{\"index\": \(index), \"start\": \(range.lowerBound), \"end\": \(range.upperBound), \"tokens\": \(tokens), \"text\": \(JSONRenderer.quote(chunk))}\n"
            }
            Output.write(out)
        }
    }
}
