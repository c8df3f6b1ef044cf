import ArgumentParser
import BPE
import Foundation

/// Flags shared by every subcommand that encodes or decodes.
struct EncodingOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Built-in encoding (default o200k_base): \(EncodingSpec.builtInNames.joined(separator: ", ")).",
                                                    valueName: "name"))
    var encoding: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("A model name instead of --encoding: its encoding from the catalog (`bpe models`), for example gpt-4o or gpt-oss-20b.",
                                                    valueName: "model"))
    var model: String?

    @Option(name: [.customLong("tokenizer"), .customLong("vocab")], help: ArgumentHelp(
        "A tokenizer file instead of --encoding: Tekken JSON, or a .tiktoken rank file (with --pattern).", valueName: "file"))
    var tokenizer: String?

    @Option(help: ArgumentHelp("With a .tiktoken --tokenizer: a built-in pattern name (\(Pattern.named.keys.sorted().joined(separator: ", "))) or a regex.",
                               valueName: "pattern"))
    var pattern: String?

    @Flag(help: "With --pattern: skip text no alternative of the pattern matches, as tiktoken does (default: encode it as its own piece).")
    var dropUnmatched = false

    @OptionGroup var folder: VocabularyFolderOption

    func validate() throws {
        if [encoding != nil, model != nil, tokenizer != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --encoding, --model and --tokenizer")
        }
        if pattern != nil && tokenizer == nil { throw ValidationError("--pattern goes with --tokenizer") }
        if dropUnmatched && pattern == nil { throw ValidationError("--drop-unmatched goes with --pattern") }
    }

    /// The encoding these flags name.
    func load() throws -> Encoding {
        if let tokenizer {
            return try Encoding.load(tokenizerFile: tokenizer, pattern: pattern.map { Pattern.named[$0] ?? $0 },
                                     unmatchedText: dropUnmatched ? .dropped : .ownPiece)
        }
        if let model { return try Encoding.forModel(model, vocabularyDirectory: folder.vocabDir) }
        return try Encoding.named(encoding ?? "o200k_base", vocabularyDirectory: folder.vocabDir)
    }
}

/// `-e NAME`, `-m MODEL` and `--tokenizer FILE` (each repeatable), for the subcommands that show
/// several encodings side by side.
struct EncodingListOptions: ParsableArguments {
    @Option(name: [.short, .customLong("encoding")], help: ArgumentHelp(
        "A built-in encoding; repeat for several (\(EncodingSpec.builtInNames.joined(separator: ", "))).", valueName: "name"))
    var encodings: [String] = []

    @Option(name: [.short, .customLong("model")], help: ArgumentHelp(
        "A model name (`bpe models` lists them): its encoding, labelled with the model's name; repeatable, after the -e encodings.",
        valueName: "model"))
    var models: [String] = []

    @Option(name: .customLong("tokenizer"), help: ArgumentHelp(
        "A tokenizer file (Tekken JSON, or .tiktoken split with o200k's pattern); repeatable, after the -e encodings.",
        valueName: "file"))
    var tokenizers: [String] = []

    @OptionGroup var folder: VocabularyFolderOption

    /// The encodings named, `defaults` when none is.
    func load(defaults: [String]) throws -> [Encoding] {
        try loadColumns(defaults: defaults).map(\.encoding)
    }

    /// The encodings named, each with its label (the model's name for `-m`) and catalog entry:
    /// the `-e` ones, then the `-m` ones, then the `--tokenizer` ones; `defaults` when none is named.
    func loadColumns(defaults: [String]) throws -> [EncodingColumn] {
        let names = encodings.isEmpty && tokenizers.isEmpty && models.isEmpty ? defaults : encodings
        var columns = try names.map { EncodingColumn(label: $0, encoding: try Encoding.named($0, vocabularyDirectory: folder.vocabDir)) }
        for name in models {
            let info = try ModelCatalog.builtIn.model(named: name)
            columns.append(EncodingColumn(label: name, encoding: try Encoding.named(info.encoding, vocabularyDirectory: folder.vocabDir),
                                          model: info))
        }
        return try columns + tokenizers.map { path in
            let encoding = try Encoding.load(tokenizerFile: path)
            return EncodingColumn(label: encoding.name, encoding: encoding)
        }
    }
}

/// One encoding of ``EncodingListOptions``: how output names it, and the model it stands for.
struct EncodingColumn {
    var label: String
    var encoding: Encoding
    var model: ModelInfo? = nil
}

/// `--vocab-dir`, for every subcommand that loads built-in vocabularies.
struct VocabularyFolderOption: ParsableArguments {
    @Option(help: ArgumentHelp("Folder to look for vocabulary files in first.", valueName: "dir"))
    var vocabDir: String?
}

extension EncodingOptions {
    /// With a custom `--pattern`, one line on stderr when it leaves part of `text` unmatched: what
    /// became of it, and the flag for the other choice.
    func warnAboutUnmatchedText(_ text: String, encoding: Encoding) {
        guard pattern != nil, let gaps = try? encoding.preTokenizer.unmatchedRanges(text), let first = gaps.first else { return }
        let bytes = gaps.reduce(0) { $0 + $1.count }
        let fate = dropUnmatched ? "were skipped (--drop-unmatched), as tiktoken skips them"
            : "were encoded as pieces of their own; tiktoken drops them (--drop-unmatched to do the same)"
        FileHandle.standardError.write(Data("bpe: warning: --pattern matches no alternative for \(bytes) byte\(bytes == 1 ? "" : "s") of the input (first at byte \(first.lowerBound)); they \(fate)\n".utf8))
    }
}
