import ArgumentParser
import BPE
import BPEInspect
import Dispatch
import Foundation

extension Bpe {
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count tokens in files, folders or standard input, like wc.",
            discussion: """
            One line per file: the token count for each --encoding (in the order given), then the \
            path; a total line when there is more than one file. Folders are searched recursively; \
            hidden files and folders and binary files (a NUL byte in the first 8 KiB) are skipped \
            unless --all. Files are read as bytes: invalid UTF-8 is counted through the raw-bytes \
            path (as tiktoken's _encode_bytes), never skipped; special-token text counts as plain \
            text. Large files are read in chunks and cut only where the pre-tokenizer must cut \
            anyway, so memory stays bounded. With several --jobs, files of 2 MiB or more are also \
            divided at such places into parts of about 1 MiB, and the threads share the parts of all \
            files, largest first. A path that cannot be read gets one line on stderr; the \
            rest are still counted and the exit status is 1. Default encoding: o200k_base; each -e, -m \
            or --tokenizer adds a column, and with more than one a header line names them.

            Inside a git work tree a folder holds what git lists (tracked files, and untracked ones \
            no .gitignore, .git/info/exclude or global excludes file ignores); --no-ignore walks \
            every file. --max N (or --max context with -m MODEL) names each input over the budget \
            on stderr and exits with status 3 (status 1, for unreadable inputs, comes first), so a \
            CI job can gate prompt files. --chat reads Chat Completions request bodies instead.
            """
        )

        @OptionGroup var encodings: EncodingListOptions

        @Flag(help: "Print one JSON object: {\"files\": [{\"path\", \"bytes\", \"tokens\": {ENCODING: N}, \"share\": {…}}], \"total\": {…}}; with a budget or a model, each count's share of it.")
        var json = false

        @Option(help: ArgumentHelp(
            "A token budget: N, or context for each -m model's prompt limit (its context window, or its input limit where the vendor publishes a tighter one). Inputs over it are named on stderr and the exit status is 3.",
            valueName: "N|context"))
        var max: TokenBudget?

        @Flag(help: "Each input is an OpenAI Chat Completions request body (model, messages, tools): count its prompt for its model (or -m), exactly for gpt-oss, by OpenAI cookbook's estimate otherwise.")
        var chat = false

        @Option(help: ArgumentHelp("Read JSON Lines from stdin; write each record with NAME_tokens (first encoding) added.", valueName: "NAME"))
        var jsonlField: String?

        @Option(help: ArgumentHelp("Threads (default: all cores).", valueName: "N"))
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Also count hidden files and binary files inside folders.")
        var all = false

        @Flag(help: "Inside a git work tree, also count files git ignores (by default a folder lists what `git ls-files --cached --others --exclude-standard` lists).")
        var noIgnore = false

        @Flag(help: "No progress bar on stderr.")
        var quiet = false

        @Option(help: .hidden)
        var chunkSize: Int = 8 << 20

        @Argument(help: "Files and folders (default: standard input).")
        var paths: [String] = []

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if case let .tokens(n) = max, n < 0 { throw ValidationError("--max must not be negative") }
            if chunkSize < 4096 { throw ValidationError("--chunk-size must be at least 4096") }
            if jsonlField != nil && (!paths.isEmpty || json || max != nil || chat) {
                throw ValidationError("--jsonl-field reads standard input only, without --json, --max or --chat")
            }
            if chat && (!encodings.encodings.isEmpty || !encodings.tokenizers.isEmpty || encodings.models.count > 1) {
                throw ValidationError("--chat counts for the request's model, or for one -m MODEL; not for -e or --tokenizer")
            }
            if max == .context && !chat && (encodings.models.isEmpty || !encodings.encodings.isEmpty || !encodings.tokenizers.isEmpty) {
                throw ValidationError("--max context needs -m MODEL (only a model has a context window); give --max N for an encoding")
            }
        }

        func run() throws {
            if chat { return try countChatRequests() }
            let columns = try encodings.loadColumns(defaults: ["o200k_base"])
            let loaded = columns.map(\.encoding)
            // Per column: --max N, or with --max context (or none, for the share only) a model's prompt limit.
            let budgets = try columns.map { try TokenBudget.limit(max, model: $0.model, label: $0.label) }
            if let field = jsonlField { return try countJSONLines(field: field, encoding: loaded[0]) }
            var failures = 0
            var rows = [(String, [TokenCount])]()
            if paths.isEmpty {
                // Standard input can be read once: with several encodings, count a temporary copy.
                if loaded.count == 1 {
                    rows = [("-", [try loaded[0].countTokens(fileDescriptor: 0, path: "-", threads: jobs, chunkSize: chunkSize)])]
                } else {
                    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-count-\(getpid())").path
                    _ = FileManager.default.createFile(atPath: copy, contents: nil)
                    defer { try? FileManager.default.removeItem(atPath: copy) }
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
                    while case let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20), !chunk.isEmpty { handle.write(chunk) }
                    try handle.close()
                    rows = [("-", try countAll(copy, loaded, threads: jobs))]
                }
            } else {
                let files = FileList.collect(paths, includeHidden: all, includeBinary: all, respectIgnores: !noIgnore) { message in
                    FileHandle.standardError.write(Data("bpe count: \(message)\n".utf8))
                    failures += 1
                }
                var results = [Result<[TokenCount], CountError>](repeating: .success([]), count: files.count)
                let progress = Progress(total: files.count * loaded.count, enabled: !quiet && isatty(2) == 1 && !json)
                // All files as one pool of work per encoding: large files in parts, each thread taking
                // the largest part left, so no thread waits while another has work.
                for encoding in loaded {
                    let counts = encoding.countTokens(files: files, threads: jobs, chunkSize: chunkSize) { _ in progress.step() }
                    for (index, count) in counts.enumerated() {
                        results[index] = results[index].flatMap { done in count.map { done + [$0] } }
                    }
                }
                progress.finish()
                for (index, path) in files.enumerated() {
                    switch results[index] {
                    case let .success(counts): rows.append((path, counts))
                    case let .failure(error):
                        FileHandle.standardError.write(Data("bpe count: \(error)\n".utf8))
                        failures += 1
                    }
                }
            }
            let table = CountTable(labels: columns.map(\.label),
                                   rows: rows.map { CountTable.Row(path: $0.0, counts: $0.1, limits: budgets) })
            print(json ? table.json() : table.text(), terminator: "")
            if failures > 0 { throw ExitCode(1) }
            try table.checkBudgets(named: max != nil)
        }

        func countAll(_ path: String, _ encodings: [Encoding], threads: Int) throws(CountError) -> [TokenCount] {
            var counts = [TokenCount]()
            for encoding in encodings { counts.append(try encoding.countTokens(file: path, threads: threads, chunkSize: chunkSize)) }
            return counts
        }
    }
}
