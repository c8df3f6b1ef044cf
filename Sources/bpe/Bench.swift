import ArgumentParser
import BPE
import Dispatch
import Foundation

extension Bpe {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure in-process encode throughput (vocabulary load reported separately).",
            discussion: """
            Each file is read into memory, then encoded --repeat times; the best run counts. With \
            --threads N the files are encoded concurrently on N threads sharing one Encoding. Token \
            counts are not checked here: Tools/bench-vs-tiktoken checks ids against tiktoken first.
            """
        )

        @OptionGroup var options: EncodingOptions

        @Option(help: "Threads encoding files concurrently.")
        var threads: Int = 1

        @Option(help: "Runs per file; the fastest counts.")
        var `repeat`: Int = 3

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Argument(help: "Files to encode.")
        var files: [String]

        func validate() throws {
            if threads < 1 { throw ValidationError("--threads must be at least 1") }
            if `repeat` < 1 { throw ValidationError("--repeat must be at least 1") }
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
            var files: [FileResult]
            var total: Total
            struct Total: Codable { var bytes: Int; var tokens: Int; var seconds: Double; var mb_per_s: Double }
        }

        func run() throws {
            let loadStart = DispatchTime.now()
            let encoding = try options.load()
            let loadSeconds = Self.seconds(since: loadStart)
            let inputs = try files.map { try InputFile.read($0) }

            var results = [FileResult]()
            var totalSeconds = Double.infinity
            var tokenCounts = [Int](repeating: 0, count: inputs.count)
            var bestPerFile = [Double](repeating: .infinity, count: inputs.count)
            for _ in 0..<`repeat` {
                let start = DispatchTime.now()
                let perFile = try Self.encodeAll(inputs, encoding: encoding, threads: threads)
                totalSeconds = min(totalSeconds, Self.seconds(since: start))
                for (i, r) in perFile.enumerated() {
                    tokenCounts[i] = r.tokens
                    bestPerFile[i] = min(bestPerFile[i], r.seconds)
                }
            }
            for (i, path) in files.enumerated() {
                let bytes = inputs[i].count
                results.append(FileResult(path: path, bytes: bytes, tokens: tokenCounts[i], seconds: bestPerFile[i],
                                          mb_per_s: Double(bytes) / 1e6 / bestPerFile[i]))
            }
            let totalBytes = inputs.reduce(0) { $0 + $1.count }
            let report = Report(encoding: encoding.name, threads: threads, load_seconds: loadSeconds, files: results,
                                total: .init(bytes: totalBytes, tokens: tokenCounts.reduce(0, +), seconds: totalSeconds,
                                             mb_per_s: Double(totalBytes) / 1e6 / totalSeconds))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Output.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
            } else {
                var lines = ["encoding \(report.encoding), \(threads) thread(s), load \(String(format: "%.1f", loadSeconds * 1000)) ms"]
                for r in results + [FileResult(path: "total", bytes: totalBytes, tokens: report.total.tokens,
                                               seconds: totalSeconds, mb_per_s: report.total.mb_per_s)] {
                    lines.append(String(format: "%10d bytes %9d tokens %8.2f ms %8.1f MB/s  ", r.bytes, r.tokens, r.seconds * 1000, r.mb_per_s) + r.path)
                }
                Output.write(lines.joined(separator: "\n") + "\n")
            }
        }

        static func seconds(since start: DispatchTime) -> Double {
            Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }

        /// Encodes every input once, files spread over `threads` workers; per-file token count and time.
        static func encodeAll(_ inputs: [[UInt8]], encoding: Encoding, threads: Int) throws -> [(tokens: Int, seconds: Double)] {
            let results = Slots<(tokens: Int, seconds: Double, error: String?)>(count: inputs.count, initial: (0, 0, nil))
            let next = ManagedCounter()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let i = next.increment()
                    guard i < inputs.count else { return }
                    let start = DispatchTime.now()
                    do {
                        let count = try encoding.encode(bytes: inputs[i], disallowedSpecial: .none).count
                        results[i] = (count, seconds(since: start), nil)
                    } catch {
                        results[i] = (0, 0, String(describing: error))
                    }
                }
            }
            if let failure = results.values.first(where: { $0.error != nil }) { throw ValidationError(failure.error!) }
            return results.values.map { ($0.tokens, $0.seconds) }
        }
    }
}

/// Result slots written by concurrent workers, each index by exactly one worker.
final class Slots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Value>
    init(count: Int, initial: Value) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: initial)
    }
    deinit { storage.deinitialize().deallocate() }
    subscript(index: Int) -> Value {
        get { storage[index] }
        set { storage[index] = newValue }
    }
    var values: [Value] { Array(storage) }
}

/// A lock-protected counter handing out work indices.
final class ManagedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
