import Foundation
import Testing

/// `bpe count`: wc-like lines, folders, binary and hidden files, invalid UTF-8, JSON, JSON Lines,
/// and chunked reading that gives the same counts as whole files.
@Suite struct CountCLITests {
    let cli = CLITests()

    func folder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("count-\(UUID().uuidString)").path
        let files: [String: [UInt8]] = [
            "a.txt": Array("Hello, world!".utf8),
            "sub/b.py": Array("def f(x):\n\treturn x * 2\n".utf8),
            "bad.txt": Array("ok ".utf8) + [0xFF] + Array(" bad\n".utf8),
            "image.bin": [0x89, 0x50, 0x00, 0x01],
            ".hidden/h.txt": Array("hidden words".utf8),
        ]
        for (name, bytes) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }
        return root
    }

    func tokens(_ bytes: [UInt8], _ encoding: String = "o200k_base") throws -> Int {
        let run = try cli.bpe(["encode", "-e", encoding, "--special-as-text"], stdin: bytes)
        return String(decoding: run.stdout, as: UTF8.self).split(separator: " ").count
    }

    @Test func countsLikeWc() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try cli.bpe(["count", "--quiet", root])
        #expect(run.status == 0)
        let a = try tokens(Array("Hello, world!".utf8)), b = try tokens(Array("def f(x):\n\treturn x * 2\n".utf8))
        let bad = try tokens(Array("ok ".utf8) + [0xFF] + Array(" bad\n".utf8))
        func line(_ n: Int, _ label: String) -> String { String(repeating: " ", count: 8 - String(n).count) + "\(n) \(label)\n" }
        // Sorted paths; the binary file and the hidden folder are skipped.
        #expect(String(decoding: run.stdout, as: UTF8.self)
                == line(a, root + "/a.txt") + line(bad, root + "/bad.txt") + line(b, root + "/sub/b.py") + line(a + bad + b, "total"))
        let everything = String(decoding: try cli.bpe(["count", "--quiet", "--all", root]).stdout, as: UTF8.self)
        #expect(everything.contains("/.hidden/h.txt") && everything.contains("/image.bin"))
    }

    /// Inside a git work tree a folder holds what git lists: `.gitignore`, `.git/info/exclude` and
    /// the global excludes file apply, a tracked file counts even when a pattern matches it;
    /// `--no-ignore` walks everything (hidden files still need --all).
    @Test func foldersInGitCountWhatGitLists() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("git-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = ["kept.txt": "kept", "notes.log": "log", "build/out.txt": "built", "local.txt": "local",
                     "global.tmp": "global", "forced.log": "tracked anyway", "sub/deep.txt": "deep", ".env": "secret",
                     ".gitignore": "*.log\nbuild/\n", "global-ignore": "*.tmp\n"]
        for (name, text) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
        let config = root + "/gitconfig"
        FileManager.default.createFile(atPath: config, contents: Data("[core]\n\texcludesFile = \(root)/global-ignore\n".utf8))
        let environment = ["GIT_CONFIG_GLOBAL": config, "GIT_CONFIG_NOSYSTEM": "1"]
        func git(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try git(["init", "-q"])
        try git(["add", "-f", "forced.log"])
        FileManager.default.createFile(atPath: root + "/.git/info/exclude", contents: Data("local.txt\ngitconfig\nglobal-ignore\n".utf8))
        func listed(_ arguments: [String]) throws -> [String] {
            let run = try cli.bpe(["count", "--quiet"] + arguments + [root], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            return String(decoding: run.stdout, as: UTF8.self).split(separator: "\n").compactMap { line in
                line.split(separator: " ").last.map(String.init)
            }.filter { $0 != "total" }.map { String($0.dropFirst(root.count + 1)) }
        }
        #expect(try listed([]) == ["forced.log", "kept.txt", "sub/deep.txt"])
        #expect(try listed(["--no-ignore"]) == ["build/out.txt", "forced.log", "gitconfig", "global-ignore", "global.tmp",
                                                 "kept.txt", "local.txt", "notes.log", "sub/deep.txt"])
        #expect(try listed(["--all"]) == [".env", ".gitignore", "forced.log", "kept.txt", "sub/deep.txt"])
    }

    @Test func severalEncodingsJSONAndErrors() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try cli.bpe(["count", "--json", "-e", "o200k_base", "-e", "cl100k_base", root + "/a.txt", "/no/such/path"])
        #expect(run.status == 1)
        #expect(run.stderr == "bpe count: /no/such/path: No such file or directory\n")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout)) as! [String: Any]
        let file = (object["files"] as! [[String: Any]])[0]
        #expect(file["bytes"] as! Int == 13)
        #expect((file["tokens"] as! [String: Int]) == ["o200k_base": 4, "cl100k_base": 4])
        #expect(((object["total"] as! [String: Any])["tokens"] as! [String: Int]) == ["o200k_base": 4, "cl100k_base": 4])
    }

    @Test func standardInputAndJSONLines() throws {
        let stdin = try cli.bpe(["count", "-e", "o200k_base", "-e", "r50k_base"], stdin: Array("Hello, world!".utf8))
        #expect(String(decoding: stdin.stdout, as: UTF8.self) == "o200k_base  r50k_base path\n         4          4 -\n")
        let lines = "{\"id\": 1, \"text\": \"Hello, world!\"}\n{\"text\": \"<|endoftext|> 👍\"}\n"
        let run = try cli.bpe(["count", "--jsonl-field", "text"], stdin: Array(lines.utf8))
        #expect(String(decoding: run.stdout, as: UTF8.self)
                == "{\"id\": 1, \"text\": \"Hello, world!\",\"text_tokens\":4}\n{\"text\": \"<|endoftext|> 👍\",\"text_tokens\":8}\n")
        let bad = try cli.bpe(["count", "--jsonl-field", "text"], stdin: Array("{\"other\": 1}\n".utf8))
        #expect(bad.status != 0 && bad.stderr.contains("line 1"))
    }

    /// JSON Lines in batches on several threads: a line longer than a batch, a field starting with
    /// a byte order mark (Foundation's JSON reader dropped it), CRLF and blank lines, `-m`, and the
    /// line number of a bad record in a later batch.
    @Test func jsonLinesInBatches() throws {
        let long = String(repeating: "lorem ipsum ", count: 200_000)  // 2.4 MB: more than one batch
        var records = [String]()
        for i in 0..<3000 { records.append("{\"i\": \(i), \"text\": \"\\ufeffBOM \(i) 東京\\n\"}") }
        records.insert("   ", at: 10)
        records.insert("{\"text\": \"\(long)\"}", at: 1500)
        let input = records.joined(separator: "\r\n") + "\n"
        let one = try cli.bpe(["count", "--jobs", "1", "--jsonl-field", "text"], stdin: Array(input.utf8))
        let two = try cli.bpe(["count", "--jobs", "2", "-m", "gpt-4o", "--jsonl-field", "text"], stdin: Array(input.utf8))
        #expect(one.status == 0 && one.stdout == two.stdout)
        let lines = String(decoding: one.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == records.count + 1 && lines[10] == "   ")
        let bom = try tokens(Array("\u{FEFF}BOM 7 東京\n".utf8))
        #expect(lines[7] == "{\"i\": 7, \"text\": \"\\ufeffBOM 7 東京\\n\",\"text_tokens\":\(bom)}")
        #expect(lines[1500].hasSuffix(",\"text_tokens\":\(try tokens(Array(long.utf8)))}"))
        let bad = records.prefix(2999).joined(separator: "\n") + "\n{\"text\": 5}\n"
        let failed = try cli.bpe(["count", "--jobs", "2", "--jsonl-field", "text"], stdin: Array(bad.utf8))
        #expect(failed.status != 0 && failed.stderr.contains("line 3000: field \"text\" is missing or not a string"))
        #expect(String(decoding: failed.stdout, as: UTF8.self).split(separator: "\n").count == 2999)
    }

    /// Reading in small chunks (cut at safe places) gives the counts of whole files, valid or not.
    @Test func chunkedCountsEqualWholeFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var text = ""
        for i in 0..<3000 { text += ["word\n", "Next line. ", "x\nY", "中文\n", "👍🏽\n", "  \n", "a'S\nb", "\(i)\n"][i % 8] }
        FileManager.default.createFile(atPath: root + "/valid.txt", contents: Data(text.utf8))
        FileManager.default.createFile(atPath: root + "/invalid.txt", contents: Data(Array(text.utf8) + [0xC3] + Array(text.utf8)))
        for encoding in ["o200k_base", "cl100k_base", "r50k_base"] {
            let small = try cli.bpe(["count", "--quiet", "-e", encoding, "--chunk-size", "4096", "--jobs", "2", root])
            let whole = try cli.bpe(["count", "--quiet", "-e", encoding, "--chunk-size", "100000000", "--jobs", "1", root])
            #expect(small.stdout == whole.stdout)
            let expected = try tokens(Array(text.utf8), encoding)
            #expect(String(decoding: whole.stdout, as: UTF8.self).contains("\(expected) \(root)/valid.txt"))
        }
    }

    /// Files over 4 MiB are split into one range per thread at safe cuts; a file with invalid UTF-8
    /// is counted again in one pass. Both give the single-thread counts.
    @Test func largeFilesSplitIntoRangesCountTheSame() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ranges-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var unit = ""
        for i in 0..<400 { unit += ["Some words\n", "x\nY", "中文 ", "👍🏽\n", "  \n", "\(i)\n", "code(x);\n\tz\n"][i % 7] }
        let text = Array(String(repeating: unit, count: 5 << 20 / unit.utf8.count + 1).utf8)
        FileManager.default.createFile(atPath: root + "/big.txt", contents: Data(text))
        FileManager.default.createFile(atPath: root + "/big-invalid.txt", contents: Data(text + [0xFF] + Array("tail".utf8)))
        for encoding in ["o200k_base", "cl100k_base"] {
            let one = try cli.bpe(["count", "--quiet", "-e", encoding, "--jobs", "1", root])
            let two = try cli.bpe(["count", "--quiet", "-e", encoding, "--jobs", "2", root])
            #expect(one.status == 0 && one.stdout == two.stdout)
            let expected = try tokens(text, encoding)
            #expect(String(decoding: two.stdout, as: UTF8.self).contains("\(expected) \(root)/big.txt"))
        }
    }
}

@Suite struct TruncateChunkCLITests {
    let cli = CLITests()

    @Test func truncateNeverCutsACharacter() throws {
        let input = Array("Hello 🐍 world".utf8)
        let three = try cli.bpe(["truncate", "--max-tokens", "3"], stdin: input)
        #expect(String(decoding: three.stdout, as: UTF8.self) == "Hello ")  // "Hello 🐍" needs 4 tokens
        let four = try cli.bpe(["truncate", "--max-tokens", "4"], stdin: input)
        #expect(String(decoding: four.stdout, as: UTF8.self) == "Hello 🐍")
        let all = try cli.bpe(["truncate", "--max-tokens", "100"], stdin: input)
        #expect(all.stdout == input)
    }

    @Test func chunkWritesJSONLines() throws {
        let run = try cli.bpe(["chunk", "--max-tokens", "4", "--overlap", "1"], stdin: Array("Hello 🐍 world, 你好世界!".utf8))
        #expect(String(decoding: run.stdout, as: UTF8.self) == """
            {"index": 0, "start": 0, "end": 10, "tokens": 4, "text": "Hello 🐍"}
            {"index": 1, "start": 10, "end": 24, "tokens": 4, "text": " world, 你好"}
            {"index": 2, "start": 18, "end": 31, "tokens": 3, "text": "你好世界!"}

            """)
        let bad = try cli.bpe(["chunk", "--max-tokens", "4", "--overlap", "4"], stdin: [])
        #expect(bad.status != 0 && bad.stderr.contains("--overlap"))
    }

    /// "Hello 👋🏽" in 3 tokens keeps the whole emoji or none of it; a family emoji never ends in
    /// a dangling ZWJ; chunks end between characters.
    @Test func cutsKeepGraphemeClusters() throws {
        let wave = try cli.bpe(["truncate", "--max-tokens", "3"], stdin: Array("Hello 👋🏽".utf8))
        #expect(String(decoding: wave.stdout, as: UTF8.self) == "Hello ")
        let family = "We 👨‍👩‍👧‍👦 are"
        for budget in 1...12 {
            let run = try cli.bpe(["truncate", "--max-tokens", String(budget)], stdin: Array(family.utf8))
            let text = String(decoding: run.stdout, as: UTF8.self)
            #expect(family.hasPrefix(text) && (text.isEmpty || family[text.endIndex...].first != nil || text == family))
            #expect(!text.unicodeScalars.contains { $0 == "\u{200D}" } || text.contains("👨‍👩‍👧‍👦"))
        }
        let chunks = try cli.bpe(["chunk", "--max-tokens", "12"], stdin: Array(family.utf8))
        for line in String(decoding: chunks.stdout, as: UTF8.self).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = object["text"] as! String
            #expect(!text.hasSuffix("\u{200D}") && !text.hasPrefix("\u{200D}"))
        }
    }

    /// Input that is not UTF-8, a negative budget: one clear line, no usage text.
    @Test func badInputIsOneLine() throws {
        for command in [["truncate", "--max-tokens", "3"], ["chunk", "--max-tokens", "3"], ["inspect"]] {
            let run = try cli.bpe(command, stdin: Array("ok ".utf8) + [0xFF] + Array(" more".utf8))
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr.contains("not valid UTF-8 at byte 3") && !run.stderr.contains("Usage"), "\(command): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        let negative = try cli.bpe(["truncate", "--max-tokens", "-5"], stdin: [])
        #expect(negative.status != 0 && negative.stderr.contains("--max-tokens must not be negative"))
        let overlap = try cli.bpe(["chunk", "--max-tokens", "5", "--overlap", "-1"], stdin: [])
        #expect(overlap.status != 0 && overlap.stderr.contains("--overlap must be at least 0"))
    }
}
