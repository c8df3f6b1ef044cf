import Foundation
import Testing

/// Runs the built `bpe` binary and checks its exact output, exit status and stderr.
@Suite struct CLITests {
    struct Run { var status: Int32; var stdout: [UInt8]; var stderr: String }

    static var binary: URL {
        // The test bundle sits next to the products of the same build.
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("bpe").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("bpe")
    }

    /// The files Tools/fetch-vocab put in this checkout's Vocab/cache.
    static var vocabularyCache: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Vocab/cache")
    }

    final class Box: @unchecked Sendable { var data = Data() }

    func bpe(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Standard input is written and standard error read on threads of their own, so that a
        // command that writes while it reads never waits on a full pipe.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        let errors = Box()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            errors.data = error.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        writer.start()
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let err = errors.data
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: [UInt8](out), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func encodePrintsIDsAndDecodeRestoresBytes() throws {
        let run = try bpe(["encode"], stdin: Array("Hello, world!".utf8))
        #expect(run.status == 0)
        #expect(String(decoding: run.stdout, as: UTF8.self) == "13225 11 2375 0\n")
        let back = try bpe(["decode"], stdin: run.stdout)
        #expect(back.stdout == Array("Hello, world!".utf8))
        let cl100k = try bpe(["encode", "--encoding", "cl100k_base"], stdin: Array("Hello, world!".utf8))
        #expect(String(decoding: cl100k.stdout, as: UTF8.self) == "9906 11 1917 0\n")
    }

    @Test func invalidUTF8RoundTripsThroughFiles() throws {
        let bytes: [UInt8] = Array("ok ".utf8) + [0xFF, 0xC3, 0x28] + Array(" done\n".utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(getpid()).txt").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ids = try bpe(["encode", path])
        #expect(ids.status == 0)
        #expect(try bpe(["decode"], stdin: ids.stdout).stdout == bytes)
    }

    @Test func specialTokenTextErrorsUnlessAllowed() throws {
        let input = Array("hi <|endoftext|>".utf8)
        let refused = try bpe(["encode"], stdin: input)
        #expect(refused.status != 0)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("<|endoftext|> at byte 3"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("--allow-special") && refused.stderr.contains("--special-as-text"))
        let allowed = try bpe(["encode", "--allow-special"], stdin: input)
        #expect(String(decoding: allowed.stdout, as: UTF8.self) == "3686 220 199999\n")
        let plain = try bpe(["encode", "--special-as-text"], stdin: input)
        #expect(!String(decoding: plain.stdout, as: UTF8.self).contains("199999"))
    }

    /// `bpe fetch` puts checked files where a program in any package finds them (here a folder
    /// named with --dest; by default the user cache), from a source folder named by
    /// BPE_VOCAB_SOURCE, without the network.
    @Test func fetchPutsCheckedFilesInTheCache() throws {
        let dest = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dest) }
        let environment = ["BPE_VOCAB_SOURCE": CLITests.vocabularyCache.path, "BPE_VOCAB_NO_SHARED": "1"]
        let run = try bpe(["fetch", "--dest", dest, "r50k_base"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let fetched = dest + "/r50k_base.tiktoken"
        #expect(FileManager.default.contents(atPath: fetched) == FileManager.default.contents(
            atPath: CLITests.vocabularyCache.appendingPathComponent("r50k_base.tiktoken").path))
        let encoded = try bpe(["encode", "-e", "r50k_base", "--vocab-dir", dest], stdin: Array("hello world".utf8))
        #expect(String(decoding: encoded.stdout, as: UTF8.self) == "31373 995\n")
        let unknown = try bpe(["fetch", "--dest", dest, "no-such-encoding"], environment: environment)
        #expect(unknown.status != 0 && !unknown.stderr.isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let run = try bpe(["--version"])
        #expect(run.status == 0)
        #expect(String(decoding: run.stdout, as: UTF8.self).split(separator: ".").count == 3)
    }

    /// A custom pattern that leaves text unmatched says so; the text is kept unless
    /// --drop-unmatched asks for tiktoken's behaviour.
    @Test func unmatchedTextIsReported() throws {
        let vocab = CLITests.vocabularyCache.appendingPathComponent("r50k_base.tiktoken").path
        let kept = try bpe(["encode", "--tokenizer", vocab, "--pattern", "x"], stdin: Array("hello world".utf8))
        #expect(String(decoding: kept.stdout, as: UTF8.self) == "31373 995\n")
        #expect(kept.stderr.contains("matches no alternative for 11 bytes") && kept.stderr.contains("--drop-unmatched"))
        let dropped = try bpe(["encode", "--tokenizer", vocab, "--pattern", #"\w+"#, "--drop-unmatched"], stdin: Array("hello world".utf8))
        #expect(String(decoding: dropped.stdout, as: UTF8.self) == "31373 6894\n")
        let builtIn = try bpe(["encode", "--tokenizer", vocab, "--pattern", "r50k"], stdin: Array("hello world".utf8))
        #expect(builtIn.stderr.isEmpty)
    }

    @Test func badInputsGiveOneLineErrors() throws {
        let notNumber = try bpe(["decode"], stdin: Array("1 2 x3".utf8))
        #expect(notNumber.status != 0)
        #expect(notNumber.stderr.contains("'x3' at position 2"))
        let unknownID = try bpe(["decode"], stdin: Array("1 300000".utf8))
        #expect(unknownID.status != 0)
        #expect(unknownID.stderr.contains("300000 at position 1"))
        let unknownEncoding = try bpe(["encode", "-e", "nope"], stdin: [])
        #expect(unknownEncoding.status != 0)
        #expect(unknownEncoding.stderr.contains("unknown encoding 'nope'"))
        let missing = try bpe(["encode", "/no/such/file"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/no/such/file"))
    }

    @Test func vocabularyLookupAndMissingCustomFile() throws {
        let run = try bpe(["encode", "--vocab-dir", "/nowhere"], stdin: Array("x".utf8),
                          environment: ["HOME": "/nonexistent", "BPE_VOCAB_DIR": "", "XDG_CACHE_HOME": ""])
        // The checkout's Vocab/cache still provides it; a custom missing file is an error.
        #expect(run.status == 0)
        let custom = try bpe(["encode", "--vocab", "/nowhere/x.tiktoken"], stdin: Array("x".utf8))
        #expect(custom.status != 0)
        #expect(custom.stderr.contains("/nowhere/x.tiktoken"))
    }

    @Test func openModelsByNameAndByFile() throws {
        // The vendors' ids (llama-models' Llama 3 tokenizer, mistral-common's Tekkenizer).
        let text = Array("Hello, world!".utf8)
        let llama = try bpe(["encode", "-e", "llama3"], stdin: text)
        #expect(String(decoding: llama.stdout, as: UTF8.self) == "9906 11 1917 0\n")
        let tekken = try bpe(["encode", "-e", "tekken"], stdin: text)
        #expect(String(decoding: tekken.stdout, as: UTF8.self) == "22177 1044 4304 1033\n")
        let cache = CLITests.vocabularyCache
        let tekkenFile = cache.appendingPathComponent("tekken_240911.json").path
        let byFile = try bpe(["encode", "--tokenizer", tekkenFile], stdin: text)
        #expect(byFile.stdout == tekken.stdout)
        let llamaFile = cache.appendingPathComponent("llama3.tiktoken").path
        let withPattern = try bpe(["encode", "--tokenizer", llamaFile, "--pattern", "llama3"], stdin: text)
        #expect(withPattern.stdout == llama.stdout)
        // --add-special-tokens: the vendors' bos=True (Llama 3's <|begin_of_text|>, Tekken's <s>).
        #expect(String(decoding: try bpe(["encode", "-e", "llama3", "--add-special-tokens"], stdin: text).stdout, as: UTF8.self)
                == "128000 9906 11 1917 0\n")
        #expect(String(decoding: try bpe(["encode", "--tokenizer", tekkenFile, "--add-special-tokens"], stdin: text).stdout,
                       as: UTF8.self) == "1 22177 1044 4304 1033\n")
        #expect(try bpe(["encode", "-e", "o200k_base", "--add-special-tokens"], stdin: text).stdout
                == bpe(["encode", "-e", "o200k_base"], stdin: text).stdout)  // OpenAI's encodings add nothing
        let decoded = try bpe(["decode", "-e", "tekken"], stdin: tekken.stdout)
        #expect(decoded.stdout == text)
        let withBOS = Array("1 22177 1044".utf8)
        #expect(try bpe(["decode", "-e", "tekken"], stdin: withBOS).stdout == Array("<s>Hello,".utf8))
        #expect(try bpe(["decode", "-e", "tekken", "--special", "skip"], stdin: withBOS).stdout == Array("Hello,".utf8))
        let refused = try bpe(["decode", "-e", "tekken", "--special", "refuse"], stdin: withBOS)
        #expect(refused.status != 0 && refused.stderr.contains("special token"))
        let columns = try bpe(["count", "-e", "qwen", "--tokenizer", tekkenFile, "--json"], stdin: text)
        #expect(String(decoding: columns.stdout, as: UTF8.self).contains("\"tekken_240911.json\": 4"))
        // A tokenizer.json by name and by file (Hugging Face tokenizers' ids), its special-token text
        // refused by default and its control token with --allow-special.
        let deepSeek = try bpe(["encode", "-e", "deepseek-v4"], stdin: text)
        #expect(String(decoding: deepSeek.stdout, as: UTF8.self) == "19923 14 2058 3\n")
        let olmoFile = cache.appendingPathComponent("allenai_dolma2.json").path
        let special = Array("Hello <|endoftext|>".utf8)
        #expect(try bpe(["encode", "--tokenizer", olmoFile], stdin: special).status != 0)
        let allowed = try bpe(["encode", "--tokenizer", olmoFile, "--allow-special"], stdin: special)
        #expect(String(decoding: allowed.stdout, as: UTF8.self) == "9906 220 100257\n")
        let patternAlone = try bpe(["encode", "--pattern", "llama3"], stdin: text)
        #expect(patternAlone.status != 0 && patternAlone.stderr.contains("--pattern goes with --tokenizer"))
    }
}

/// `bpe inspect`: the plain view of the demo is pinned byte for byte; JSON ids equal `bpe encode`'s.
@Suite struct InspectCLITests {
    let cli = CLITests()

    @Test func demoPlainViewIsPinned() throws {
        let run = try cli.bpe(["inspect", "--demo"], environment: ["NO_COLOR": "1"])
        #expect(run.status == 0)
        let expected = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Expected/inspect-demo.txt"))
        #expect(String(decoding: run.stdout, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func knownFactsAreVisibleInTheDemo() throws {
        let text = String(decoding: try cli.bpe(["inspect", "--demo"]).stdout, as: UTF8.self)
        // An emoji: 2 tokens in o200k_base, 3 in cl100k_base, grouped with its bytes.
        #expect(text.contains("{🇵: [F0 9F 87][B5]}"))
        #expect(text.contains("{🇵: [F0 9F][87][B5]}"))
        // Digits in runs of at most three; Arabic in whole-word tokens under o200k_base.
        #expect(text.contains("[123][456][789][0]"))
        #expect(text.contains("[·كيف]"))
        #expect(text.contains("o200k_base: 178 tokens, cl100k_base: 235 tokens"))
    }

    @Test(arguments: ["o200k_base", "cl100k_base", "r50k_base", "o200k_harmony"])
    func jsonIDsEqualEncode(_ encoding: String) throws {
        let sample = "Tokens: 👨‍👩‍👧 你好 مرحبا\n\tcode(x) 1234567 <|endoftext|>"
        let json = try cli.bpe(["inspect", "-e", encoding, "--format", "json", sample])
        #expect(json.status == 0)
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout)) as! [[String: Any]]
        let ids = (objects[0]["tokens"] as! [[String: Any]]).map { "\($0["id"]!)" }.joined(separator: " ")
        let encoded = try cli.bpe(["encode", "-e", encoding, "--special-as-text"], stdin: Array(sample.utf8))
        #expect(ids + "\n" == String(decoding: encoded.stdout, as: UTF8.self))
        let ranges = (objects[0]["tokens"] as! [[String: Any]]).map { ($0["start"] as! Int, $0["end"] as! Int) }
        #expect(ranges.first?.0 == 0 && ranges.last?.1 == sample.utf8.count)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.1 == $1.0 })
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        let plain = try cli.bpe(["inspect", "hi there"])
        #expect(!String(decoding: plain.stdout, as: UTF8.self).contains("\u{1B}["))
        let forced = try cli.bpe(["inspect", "--color", "hi there"])
        #expect(String(decoding: forced.stdout, as: UTF8.self).contains("\u{1B}[30;48;5;153mhi"))
        let noColor = try cli.bpe(["inspect", "--color", "hi"], environment: ["NO_COLOR": "1"])
        #expect(String(decoding: noColor.stdout, as: UTF8.self).contains("\u{1B}["))  // an explicit flag wins
    }

    @Test func htmlIsSelfContained() throws {
        let html = String(decoding: try cli.bpe(["inspect", "--demo", "--format", "html"]).stdout, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("o200k_base") && html.contains("cl100k_base"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script src"))
        // One box per token: 178 under o200k_base and 235 under cl100k_base (the counts of the text view).
        #expect(html.components(separatedBy: "<span class=\"t ").count - 1 == 178 + 235)
    }

    @Test func badFlagsAndInput() throws {
        let both = try cli.bpe(["inspect", "--demo", "text"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("one way"))
        let invalid = try cli.bpe(["inspect"], stdin: [0x61, 0xFF])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("not valid UTF-8 at byte 1"))
        let help = try cli.bpe(["inspect", "--help"])
        for flag in ["--encoding", "--file", "--demo", "--ids", "--format", "--color", "--allow-special", "--vocab-dir"] {
            #expect(String(decoding: help.stdout, as: UTF8.self).contains(flag))
        }
    }
}
