import ArgumentParser
import BPE

@main
struct Bpe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpe",
        abstract: "Byte-level BPE tokenizers of the o200k family (GPT-4o, gpt-oss), exact with tiktoken.",
        version: Bpe.version,
        subcommands: [Inspect.self, Compare.self, HarmonyCommand.self, Count.self, Models.self, Truncate.self, Chunk.self, Encode.self, Decode.self, Fetch.self, Bench.self]
    )

    /// The release this binary is built from (`bpe --version`).
    static let version = "0.1.0"
}
