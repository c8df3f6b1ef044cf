import ArgumentParser
import BPE
import Foundation

/// Flags shared by every subcommand that encodes or decodes.
struct EncodingOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Built-in encoding: \(EncodingSpec.builtInNames.joined(separator: ", ")).",
                                                    valueName: "name"))
    var encoding: String = "o200k_base"

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
        if pattern != nil && tokenizer == nil { throw ValidationError("--pattern goes with --tokenizer") }
        if dropUnmatched && pattern == nil { throw ValidationError("--drop-unmatched goes with --pattern") }
    }

    /// The encoding these flags name.
    func load() throws -> Encoding {
        if let tokenizer {
            return try Encoding.load(tokenizerFile: tokenizer, pattern: pattern.map { Pattern.named[$0] ?? $0 },
                                     unmatchedText: dropUnmatched ? .dropped : .ownPiece)
        }
        return try Encoding.named(encoding, vocabularyDirectory: folder.vocabDir)
    }
}

/// `-e NAME` (repeatable) and `--tokenizer FILE` (repeatable), for the subcommands that show
/// several encodings side by side.
struct EncodingListOptions: ParsableArguments {
    @Option(name: [.short, .customLong("encoding")], help: ArgumentHelp(
        "A built-in encoding; repeat for several (\(EncodingSpec.builtInNames.joined(separator: ", "))).", valueName: "name"))
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
