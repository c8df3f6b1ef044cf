import ArgumentParser
import BPE
import BPEInspect
#if canImport(Glibc)
import Glibc
#endif

extension Bpe {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare how encodings tokenize languages, code, emoji and numbers (the token tax).",
            discussion: """
            With no input, compares the built-in samples: the same two paragraphs in 19 languages, \
            Python and Swift code, an emoji-heavy chat message and a numbers table. With DIR, each \
            <name>.txt in it is one sample; --file NAME=PATH adds one more (repeatable). \
            Per sample: characters, UTF-8 bytes, tokens per encoding, tokens per character, the \
            token tax (tokens ÷ the baseline sample's, under the same encoding) and the change from \
            cl100k_base to o200k_base. Then a breakdown by category (emoji, CJK, Arabic, letters, \
            digits, whitespace, code/punct) over all samples. Token counts are encode_ordinary's. \
            Default encodings: o200k_base, cl100k_base, r50k_base; any built-in (llama3, qwen, tekken, …) \
            or --tokenizer FILE can be compared.
            """
        )

        @OptionGroup var encodings: EncodingListOptions

        @Option(name: .customLong("file"), help: ArgumentHelp("A sample from a file; repeatable.", valueName: "name=path"))
        var files: [String] = []

        @Argument(help: "A folder of samples, one <name>.txt each.")
        var directory: String?

        @Option(help: ArgumentHelp("Output: text, markdown, csv, json or html (a self-contained page with a chart).", valueName: "format"))
        var format: ComparisonRenderer.Format = .text

        @Option(help: ArgumentHelp("Row order: tokens (the first encoding's, fewest first), name, change or input.", valueName: "order"))
        var sort: ComparisonRenderer.Order = .tokens

        @Option(help: ArgumentHelp("The sample the token tax is relative to.", valueName: "name"))
        var baseline = "english"

        @Option(help: ArgumentHelp("Write the built-in samples to this folder as <name>.txt and stop.", valueName: "dir"))
        var writeSamples: String?

        func validate() throws {
            for file in files where !file.contains("=") || file.hasPrefix("=") || file.hasSuffix("=") {
                throw ValidationError("--file wants NAME=PATH, got '\(file)'")
            }
            if writeSamples != nil && (directory != nil || !files.isEmpty) {
                throw ValidationError("--write-samples writes the built-in samples; it takes no input")
            }
        }

        func run() throws {
            if let writeSamples {
                for sample in SampleTexts.all {
                    try OutputFile.write(Array(sample.text.utf8), to: writeSamples + "/" + sample.name + ".txt", createFolder: true)
                }
                return
            }
            var samples = [Comparison.Sample]()
            if let directory { samples += try SampleFolder.read(directory) }
            for file in files {
                let separator = file.firstIndex(of: "=")!
                let name = String(file[..<separator]), path = String(file[file.index(after: separator)...])
                samples.append(Comparison.Sample(name: name, text: try InputFile.text(InputFile.read(path), name: path)))
            }
            if directory == nil && files.isEmpty { samples = SampleTexts.all }
            guard !samples.isEmpty else { throw ValidationError("\(directory ?? "the input") holds no <name>.txt samples") }
            let loaded = try encodings.load(defaults: ["o200k_base", "cl100k_base", "r50k_base"])
            let comparison = try Comparison(samples: samples, encodings: loaded, baseline: baseline)
            Output.write(ComparisonRenderer.render(comparison, format: format, order: sort))
        }
    }
}

extension ComparisonRenderer.Format: ExpressibleByArgument {}
extension ComparisonRenderer.Order: ExpressibleByArgument {}

/// Samples from a folder: every regular `<name>.txt`, by name.
enum SampleFolder {
    static func read(_ path: String) throws -> [Comparison.Sample] {
        guard let dir = opendir(path) else {
            throw InputFile.Unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".txt"), name.count > 4, !name.hasPrefix(".") { names.append(name) }
        }
        return try names.sorted().map { name in
            let file = path + "/" + name
            return Comparison.Sample(name: String(name.dropLast(4)), text: try InputFile.text(InputFile.read(file), name: file))
        }
    }
}

/// Writes a whole file.
enum OutputFile {
    static func write(_ bytes: [UInt8], to path: String, createFolder: Bool) throws {
        if createFolder {
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            if !folder.isEmpty { mkdir(folder, 0o755) }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw InputFile.Unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputFile.Unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
    }
}
