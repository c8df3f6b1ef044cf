import ArgumentParser
import BPE

/// Flags shared by every subcommand that encodes or decodes.
struct EncodingOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Built-in encoding: \(EncodingSpec.builtIn.map(\.name).joined(separator: ", ")).",
                                                    valueName: "name"))
    var encoding: String = "o200k_base"

    @Option(name: [.customLong("tokenizer"), .customLong("vocab")], help: ArgumentHelp(
        "A tokenizer file instead of --encoding: Tekken JSON, or a .tiktoken rank file (with --pattern).", valueName: "file"))
    var tokenizer: String?

    @Option(help: ArgumentHelp("With a .tiktoken --tokenizer: a built-in pattern name (\(Pattern.named.keys.sorted().joined(separator: ", "))) or a regex.",
                               valueName: "pattern"))
    var pattern: String?

    @OptionGroup var folder: VocabularyFolderOption

    func validate() throws {
        if pattern != nil && tokenizer == nil { throw ValidationError("--pattern goes with --tokenizer") }
    }

    /// The encoding these flags name.
    func load() throws -> Encoding {
        if let tokenizer {
            return try Encoding.load(tokenizerFile: tokenizer, pattern: pattern.map { Pattern.named[$0] ?? $0 })
        }
        return try Encoding.named(encoding, vocabularyDirectory: folder.vocabDir)
    }
}

/// `-e NAME` (repeatable) and `--tokenizer FILE` (repeatable), for the subcommands that show
/// several encodings side by side.
struct EncodingListOptions: ParsableArguments {
    @Option(name: [.short, .customLong("encoding")], help: ArgumentHelp(
        "A built-in encoding; repeat for several (\(EncodingSpec.builtIn.map(\.name).joined(separator: ", "))).", valueName: "name"))
    var encodings: [String] = []

    @Option(name: .customLong("tokenizer"), help: ArgumentHelp(
        "A tokenizer file (Tekken JSON, or .tiktoken split with o200k's pattern); repeatable, after the -e encodings.",
        valueName: "file"))
    var tokenizers: [String] = []

    @OptionGroup var folder: VocabularyFolderOption

    /// The encodings named, `defaults` when none is.
    func load(defaults: [String]) throws -> [Encoding] {
        let names = encodings.isEmpty && tokenizers.isEmpty ? defaults : encodings
        return try names.map { try Encoding.named($0, vocabularyDirectory: folder.vocabDir) }
            + tokenizers.map { try Encoding.load(tokenizerFile: $0) }
    }
}

/// `--vocab-dir`, for every subcommand that loads built-in vocabularies.
struct VocabularyFolderOption: ParsableArguments {
    @Option(help: ArgumentHelp("Folder to look for vocabulary files in first.", valueName: "dir"))
    var vocabDir: String?
}
