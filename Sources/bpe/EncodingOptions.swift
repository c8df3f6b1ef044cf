import ArgumentParser
import BPE

/// Flags shared by every subcommand that encodes or decodes.
struct EncodingOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Built-in encoding: o200k_base, o200k_harmony, cl100k_base, p50k_base, r50k_base.")
    var encoding: String = "o200k_base"

    @Option(help: ArgumentHelp("A custom .tiktoken vocabulary file (instead of --encoding).", valueName: "file"))
    var vocab: String?

    @Option(help: ArgumentHelp("With --vocab: a built-in pattern name (o200k, cl100k, p50k, r50k) or a regex.", valueName: "pattern"))
    var pattern: String?

    @OptionGroup var folder: VocabularyFolderOption

    func validate() throws {
        if pattern != nil && vocab == nil { throw ValidationError("--pattern goes with --vocab") }
    }

    /// The encoding these flags name.
    func load() throws -> Encoding {
        if let vocab {
            let regex = pattern.map { Pattern.named[$0] ?? $0 } ?? Pattern.o200k
            return try Encoding.custom(vocabularyFile: vocab, pattern: regex)
        }
        return try Encoding.named(encoding, vocabularyDirectory: folder.vocabDir)
    }
}

/// `--vocab-dir`, for every subcommand that loads built-in vocabularies.
struct VocabularyFolderOption: ParsableArguments {
    @Option(help: ArgumentHelp("Folder to look for vocabulary files in first.", valueName: "dir"))
    var vocabDir: String?
}
