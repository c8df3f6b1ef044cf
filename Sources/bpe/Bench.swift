import ArgumentParser
import BPE
import Dispatch
import Foundation

extension Bpe {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure in-process encode throughput (vocabulary load reported separately).",
            discussion: """
            Each file is read into memory, then encoded --repeat times; the best run counts, and the \
            total is the sum of the files' best times. A run of a file smaller than --run-bytes encodes \
            it back to back until that many bytes are done and counts the time per encode, so small \
            files are timed warm and above the clock's resolution (Tools/bench-vs-tiktoken does the same \
            for tiktoken). With --threads N each file is cut at safe places \
            and its parts encoded concurrently on N threads sharing one Encoding (the ids are the same \
            as one thread's; files that are not UTF-8 use one thread). The encoding keeps what it \
            merged across calls, so every encode after a file's first meets text it has seen: \
            `--repeat 1 --run-bytes 0` times only first encodes (files in the order given). Token \
            counts are not checked here: Tools/bench-vs-tiktoken checks ids against tiktoken first.
            """
        )

        @OptionGroup var options: EncodingOptions

        @Option(help: "Threads encoding files concurrently.")
        var threads: Int = 1

        @Option(help: "Runs per file; the fastest counts.")
        var `repeat`: Int = 3

        @Option(help: "Bytes a run covers at least: a smaller file is encoded that many times over in one run (0: once).")
        var runBytes: Int = 1_000_000

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "Files to encode.")
        var files: [String]

        func validate() throws {
            if threads < 1 { throw ValidationError("--threads must be at least 1") }
            if `repeat` < 1 { throw ValidationError("--repeat must be at least 1") }
            if runBytes < 0 { throw ValidationError("--run-bytes must be at least 0") }
            if files.isEmpty { throw ValidationError("give at least one file") }
        }

        struct FileResult: Codable {
            var path: String
            var bytes: Int
            var tokens: Int
            var seconds: Double
            var mb_per_s: Double
        }

        struct Report: Codable {
            var encoding: String
            var threads: Int
            var load_seconds: Double
            /// `Encoding.warmUp()` after the load: the class table, the cut set and the long-piece
            /// index (kept out of the runs).
            var warm_up_seconds: Double
            var files: [FileResult]
            var total: Total
            struct Total: Codable { var bytes: Int; var tokens: Int; var seconds: Double; var mb_per_s: Double }
        }

        func run() throws {
            let loadStart = DispatchTime.now()
            let encoding = try options.load()
            let loadSeconds = Self.seconds(since: loadStart)
            let warmUpStart = DispatchTime.now()
            encoding.warmUp()
            let warmUpSeconds = Self.seconds(since: warmUpStart)
            let inputs = try files.map { try InputFile.read($0) }
            let texts = inputs.map { String(validating: $0, as: UTF8.self) }

            // Locals: a property wrapper's getter in the timed loop costs a generic-metadata lookup
            // per encode (about 7% of the profile of one-byte encodes).
            let threads = self.threads, repeats = self.repeat, runBytes = self.runBytes
            var results = [FileResult]()
            for (i, path) in files.enumerated() {
                var best = Double.infinity
                var tokens = 0
                let times = Self.timesPerRun(bytes: inputs[i].count, runBytes: runBytes)
                for _ in 0..<repeats {
                    let start = DispatchTime.now()
                    for _ in 0..<times {
                        if let text = texts[i] {
                            tokens = try encoding.encodeParallel(text, threads: threads, disallowedSpecial: .none,
                                                                 minimumPart: 64 << 10).count
                        } else {
                            tokens = try encoding.encode(bytes: inputs[i], disallowedSpecial: .none).count
                        }
                    }
                    best = min(best, Self.seconds(since: start) / Double(times))
                }
                results.append(FileResult(path: path, bytes: inputs[i].count, tokens: tokens, seconds: best,
                                          mb_per_s: Double(inputs[i].count) / 1e6 / best))
            }
            let totalBytes = inputs.reduce(0) { $0 + $1.count }
            let totalSeconds = results.reduce(0) { $0 + $1.seconds }
            let report = Report(encoding: encoding.name, threads: threads, load_seconds: loadSeconds,
                                warm_up_seconds: warmUpSeconds, files: results,
                                total: .init(bytes: totalBytes, tokens: results.reduce(0) { $0 + $1.tokens }, seconds: totalSeconds,
                                             mb_per_s: Double(totalBytes) / 1e6 / totalSeconds))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Output.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
            } else {
                var lines = ["encoding \(report.encoding), \(threads) thread(s), load \(String(format: "%.1f", loadSeconds * 1000)) ms, "
                             + "warm-up \(String(format: "%.1f", warmUpSeconds * 1000)) ms"]
                for r in results + [FileResult(path: "total", bytes: totalBytes, tokens: report.total.tokens,
                                               seconds: totalSeconds, mb_per_s: report.total.mb_per_s)] {
                    lines.append(String(format: "%10d bytes %9d tokens %8.2f ms %8.1f MB/s  ", r.bytes, r.tokens, r.seconds * 1000, r.mb_per_s) + r.path)
                }
                Output.write(lines.joined(separator: "\n") + "\n")
            }
        }

        /// How many encodes of a `bytes`-byte file make one run (the same rule as Tools/bench-vs-tiktoken).
        static func timesPerRun(bytes: Int, runBytes: Int) -> Int {
            bytes >= runBytes || bytes == 0 ? 1 : (runBytes + bytes - 1) / bytes
        }

        static func seconds(since start: DispatchTime) -> Double {
            Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
    }
}
