import BPE
import Foundation
import Testing

/// `bpe count --jsonl-field` as the map step of Apache Spark: Tools/spark/count_tokens.py on
/// `local[2]` pipes 12,000 JSON Lines records in 4 partitions through the built `bpe`, and every
/// record comes back whole with the count the library gives. Needs Tools/setup-spark (Tools/test
/// runs it): PySpark from PyPI in .build-spark/venv, and Java.
@Suite struct SparkTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Varied texts: scripts, emoji sequences, ZWJ/ZWNJ, combining marks, code, digit runs,
    /// whitespace runs, special-token text, control characters, empty and long ones.
    static func texts(count: Int) -> [String] {
        var rng = SplitMix(seed: 26)
        let pool = ["Hello, world!", "東京の天気は？", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "안녕하세요",
                    "👨‍👩‍👧‍👦", "👍🏽", "🇰🇪🇯🇵", "می‌خواهم", "e\u{301}\u{302}", "def f(x):\n\treturn x * 2\n", "1234567890",
                    "   ", "\n\n\r\n", "\t", "<|endoftext|>", "<|im_start|>", "\u{0}\u{1}\u{7F}", "naïve café", "ÀÉÎÕÜ"]
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x24F, 0x370...0x3FF, 0x400...0x4FF, 0x590...0x6FF,
                                             0x900...0x97F, 0xE00...0xE7F, 0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
                                             0x1F300...0x1FAFF, 0x10000...0x10FFFF]
        return (0..<count).map { index in
            if index % 1000 == 999 { return String(repeating: pool[index % pool.count] + " ", count: 2_000) }
            var text = ""
            for _ in 0..<Int(rng.next() % 24) {
                if rng.next() % 3 == 0 {
                    let range = ranges[Int(rng.next() % UInt64(ranges.count))]
                    let value = range.lowerBound + UInt32(rng.next() % UInt64(range.count))
                    if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
                } else {
                    text += pool[Int(rng.next() % UInt64(pool.count))]
                }
                if rng.next() % 2 == 0 { text += " " }
            }
            return text
        }
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func sparkPipesRecordsThroughBpe() throws {
        let python = Self.checkout.appendingPathComponent(".build-spark/venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run Tools/setup-spark (Tools/test does) to install PySpark")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let texts = Self.texts(count: 12_000)
        var input = Data()
        for (id, text) in texts.enumerated() {
            let record: [String: Any] = ["id": id, "text": text, "meta": ["source": "test", "n": id % 7]]
            input += try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) + Data("\n".utf8)
        }
        let inputPath = work.appendingPathComponent("records.jsonl").path
        FileManager.default.createFile(atPath: inputPath, contents: input)
        let outputPath = work.appendingPathComponent("counted").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.checkout.appendingPathComponent("Tools/spark/count_tokens.py").path, "--master", "local[2]",
                             "--bpe", CLITests.binary.path, "--input", inputPath, "--output", outputPath,
                             "--field", "text", "--partitions", "4"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stderrReader = Thread { _ = errors.fileHandleForReading.readDataToEndOfFile() }
        stderrReader.start()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")
        #expect(printed.contains("12000 records") && printed.contains("4 partitions"), "\(printed)")

        let parts = try FileManager.default.contentsOfDirectory(atPath: outputPath).filter { $0.hasPrefix("part-") }
        #expect(parts.count >= 4)
        let encoding = try Encoding.named("o200k_base")
        var seen = Set<Int>()
        for part in parts {
            let data = try Data(contentsOf: URL(fileURLWithPath: outputPath + "/" + part))
            for line in data.split(separator: 0x0A) {
                let record = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                let id = try #require(record["id"] as? Int)
                #expect(seen.insert(id).inserted, "record \(id) twice")
                #expect(record["text"] as? String == texts[id], "record \(id) text changed")
                #expect((record["meta"] as? [String: Any])?["n"] as? Int == id % 7)
                let expected = try encoding.encodeOrdinary(texts[id]).count
                #expect(record["text_tokens"] as? Int == expected, "record \(id)")
            }
        }
        #expect(seen.count == texts.count)
    }
}
