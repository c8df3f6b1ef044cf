import ArgumentParser
import BPE
import BPEInspect

/// The token budget and the input, shared by `truncate` and `chunk`.
struct BudgetOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("The token budget: N, or context for the -m model's prompt limit.",
                                                         valueName: "N|context"))
    var maxTokens: TokenBudget

    @Argument(help: "Input file; standard input when omitted or -.")
    var file: String?

    func validate() throws {
        if case let .tokens(n) = maxTokens, n < 0 { throw ValidationError("--max-tokens must not be negative") }
    }

    /// The budget in tokens (`context`: the prompt limit of `model`).
    func tokens(model: String?) throws -> Int { try maxTokens.resolve(model: model, flag: "--max-tokens") }

    /// `body` with the input opened for reading and its name for errors.
    func withInput<R>(_ body: (Int32, String) throws -> R) throws -> R {
        try InputFile.withDescriptor(file, body)
    }
}

extension Bpe {
    struct Truncate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the longest prefix of the input that fits in N tokens, cut between characters.",
            discussion: "Unlike decoding the first N ids, the output never ends inside a character (a grapheme cluster: an emoji with its skin tone, a flag, a letter with its accents) and re-encodes to at most N tokens (special-token text counts as plain text). Only as much of the input is read as the search needs. The input must be UTF-8."
        )

        @OptionGroup var options: EncodingOptions
        @OptionGroup var budget: BudgetOptions

        func run() throws {
            let encoding = try options.load()
            let maxTokens = try budget.tokens(model: options.model)
            Output.write(try budget.withInput { fd, path in try encoding.prefix(fileDescriptor: fd, path: path, maxTokens: maxTokens) })
        }
    }

    struct Chunk: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the input into chunks of at most N tokens, cut on character boundaries, as JSON Lines.",
            discussion: "Each line: {\"index\", \"start\", \"end\" (UTF-8 byte range), \"tokens\", \"text\"}. Chunks end between characters (grapheme clusters). With --overlap K, each chunk after the first starts where the previous chunk's last K tokens begin. A character that alone needs more tokens than the budget is cut between its code points. The input is read as it is chunked, in one pass; it must be UTF-8."
        )

        @OptionGroup var options: EncodingOptions
        @OptionGroup var budget: BudgetOptions

        @Option(parsing: .unconditional, help: "Tokens each chunk repeats from the end of the previous one.")
        var overlap: Int = 0

        func validate() throws {
            if case let .tokens(n) = budget.maxTokens, n < 1 { throw ValidationError("--max-tokens must be at least 1") }
            if overlap < 0 { throw ValidationError("--overlap must be at least 0 and below --max-tokens") }
        }

        func run() throws {
            let encoding = try options.load()
            let maxTokens = try budget.tokens(model: options.model)
            if overlap >= maxTokens { throw ValidationError("--overlap must be at least 0 and below --max-tokens (\(maxTokens))") }
            try budget.withInput { fd, path in
                try encoding.forEachChunk(fileDescriptor: fd, path: path, maxTokens: maxTokens, overlap: overlap) { chunk in
                    Output.write("{\"index\": \(chunk.index), \"start\": \(chunk.range.lowerBound), \"end\": \(chunk.range.upperBound), "
                                 + "\"tokens\": \(chunk.tokenCount), \"text\": \(JSONRenderer.quote(chunk.text))}\n")
                }
            }
        }
    }
}
