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
            rest are still counted and the exit status is 1. Default encoding: o200k_base; each -e or \
            --tokenizer adds a column, and with more than one a header line names them.
            """
        )

        @OptionGroup var encodings: EncodingListOptions

        @Flag(help: "Print one JSON object: {\"files\": [{\"path\", \"bytes\", \"tokens\": {ENCODING: N}}], \"total\": {…}}.")
        var json = false

        @Option(help: ArgumentHelp("Read JSON Lines from stdin; write each record with NAME_tokens (first encoding) added.", valueName: "NAME"))
        var jsonlField: String?

        @Option(help: ArgumentHelp("Threads (default: all cores).", valueName: "N"))
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Also count hidden files and binary files inside folders.")
        var all = false

        @Flag(help: "No progress bar on stderr.")
        var quiet = false

        @Option(help: .hidden)
        var chunkSize: Int = 8 << 20

        @Argument(help: "Files and folders (default: standard input).")
        var paths: [String] = []

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if chunkSize < 4096 { throw ValidationError("--chunk-size must be at least 4096") }
            if jsonlField != nil && (!paths.isEmpty || json) { throw ValidationError("--jsonl-field reads standard input only, without --json") }
        }

        func run() throws {
            let loaded = try encodings.load(defaults: ["o200k_base"])
            let names = loaded.map(\.name)
            if let field = jsonlField { return try countJSONLines(field: field, encoding: loaded[0]) }
            if paths.isEmpty {
                // Standard input can be read once: with several encodings, count a temporary copy.
                if loaded.count == 1 {
                    let count = try loaded[0].countTokens(fileDescriptor: 0, path: "-", threads: jobs, chunkSize: chunkSize)
                    return print(report([("-", [count])], names: names, errors: false), terminator: "")
                }
                let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-count-\(getpid())").path
                _ = FileManager.default.createFile(atPath: copy, contents: nil)
                defer { try? FileManager.default.removeItem(atPath: copy) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
                while case let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20), !chunk.isEmpty { handle.write(chunk) }
                try handle.close()
                let counts = try countAll(copy, loaded, threads: jobs)
                return print(report([("-", counts)], names: names, errors: false), terminator: "")
            }
            var failures = 0
            let files = FileList.collect(paths, includeHidden: all, includeBinary: all) { message in
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
            var rows = [(String, [TokenCount])]()
            for (index, path) in files.enumerated() {
                switch results[index] {
                case let .success(counts): rows.append((path, counts))
                case let .failure(error):
                    FileHandle.standardError.write(Data("bpe count: \(error)\n".utf8))
                    failures += 1
                }
            }
            print(report(rows, names: names, errors: failures > 0), terminator: "")
            if failures > 0 { throw ExitCode(1) }
        }

        func countAll(_ path: String, _ encodings: [Encoding], threads: Int) throws(CountError) -> [TokenCount] {
            var counts = [TokenCount]()
            for encoding in encodings { counts.append(try encoding.countTokens(file: path, threads: threads, chunkSize: chunkSize)) }
            return counts
        }

        func report(_ rows: [(String, [TokenCount])], names: [String], errors: Bool) -> String {
            let totals = names.indices.map { e in rows.reduce(0) { $0 + $1.1[e].tokens } }
            let totalBytes = rows.reduce(0) { $0 + ($1.1.first?.bytes ?? 0) }
            if json {
                func tokens(_ values: [Int]) -> String {
                    "{" + zip(names, values).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
                }
                let files = rows.map { row in
                    "{\"path\": \(JSONRenderer.quote(row.0)), \"bytes\": \(row.1.first?.bytes ?? 0), \"tokens\": \(tokens(row.1.map(\.tokens)))}"
                }
                return "{\"files\": [" + files.joined(separator: ", ") + "], \"total\": {\"bytes\": \(totalBytes), \"tokens\": \(tokens(totals))}}\n"
            }
            // With several encodings, a header names the columns (each as wide as its name at least).
            let width = max(8, String(totals.max() ?? 0).count + 1, names.count > 1 ? names.map(\.count).max()! : 0)
            func pad(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
            func line(_ values: [Int], _ label: String) -> String {
                values.map { pad(String($0)) }.joined(separator: " ") + " " + label + "\n"
            }
            var out = names.count > 1 ? names.map(pad).joined(separator: " ") + " path\n" : ""
            out += rows.map { line($0.1.map(\.tokens), $0.0) }.joined()
            if rows.count > 1 { out += line(totals, "total") }
            return out
        }

        /// `--jsonl-field`: each input line is a JSON object; its field NAME (a string) is counted
        /// and `"NAME_tokens": N` added before the closing brace, the rest of the line unchanged.
        func countJSONLines(field: String, encoding: Encoding) throws {
            let input = FileHandle.standardInput
            var buffer = Data()
            var lineNumber = 0
            func handle(_ line: Data) throws {
                lineNumber += 1
                var text = String(decoding: line, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                if text.trimmingCharacters(in: .whitespaces).isEmpty { return print(text) }
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                      let close = text.lastIndex(of: "}") else {
                    throw ValidationError("line \(lineNumber): not a JSON object")
                }
                guard let value = object[field] as? String else {
                    throw ValidationError("line \(lineNumber): field \"\(field)\" is missing or not a string")
                }
                let count = try encoding.encodeOrdinary(value).count
                let separator = object.isEmpty ? "" : ","
                print(String(text[..<close]) + separator + JSONRenderer.quote(field + "_tokens") + ":" + String(count) + String(text[close...]))
            }
            while true {
                let chunk = input.readData(ofLength: 1 << 16)
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    try handle(buffer[buffer.startIndex..<newline])
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            if !buffer.isEmpty { try handle(buffer) }
        }
    }
}

/// Files under the given paths, in order: folders recursively (sorted by name), skipping hidden
/// entries and binary files unless asked; unreadable paths reported and skipped.
enum FileList {
    static func collect(_ paths: [String], includeHidden: Bool, includeBinary: Bool, report: (String) -> Void) -> [String] {
        var files = [String]()
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                report("\(path): No such file or directory")
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                report("\(path): cannot read folder")
                continue
            }
            var found = [String]()
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                let full = (path as NSString).appendingPathComponent(relative)
                var isFolder: ObjCBool = false
                _ = manager.fileExists(atPath: full, isDirectory: &isFolder)
                if name.hasPrefix("."), !includeHidden {
                    if isFolder.boolValue { walker.skipDescendants() }
                    continue
                }
                if isFolder.boolValue { continue }
                if !includeBinary, isBinary(full) { continue }
                found.append(full)
            }
            files += found.sorted()
        }
        return files
    }

    /// A NUL byte in the first 8 KiB.
    static func isBinary(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return handle.readData(ofLength: 8192).contains(0)
    }
}

/// A one-line progress bar on stderr, redrawn at most ten times a second, only when enabled.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var lastDraw = DispatchTime.now()
    private let lock = NSLock()

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func step() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += 1
        let now = DispatchTime.now()
        guard now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 100_000_000 else { return }
        lastDraw = now
        let width = 30, filled = total == 0 ? width : width * done / total
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total) files".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
