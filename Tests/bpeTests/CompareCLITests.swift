import Foundation
import Testing

/// `bpe compare`: built-in samples, a folder of samples, --file, the formats and the errors.
@Suite struct CompareCLITests {
    let cli = CLITests()

    func folder(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, text) in files { FileManager.default.createFile(atPath: root + "/" + name, contents: Data(text.utf8)) }
        return root
    }

    @Test func folderOfSamplesAsCSV() throws {
        let dir = try folder(["english.txt": "Hello world, 12345!\n", "cjk.txt": "你好，世界 🐍", "notes.md": "skipped"])
        let run = try cli.bpe(["compare", "-e", "o200k_base", "-e", "cl100k_base", "--format", "csv", dir])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(String(decoding: run.stdout, as: UTF8.self) == """
            sample,chars,bytes,tokens_o200k_base,tokens_cl100k_base,tokens_per_char_o200k_base,tokens_per_char_cl100k_base,tax_o200k_base,tax_cl100k_base,change_cl100k_to_o200k_percent
            cjk,7,20,6,9,0.857,1.286,0.86,1.29,-33.3
            english,20,20,7,7,0.350,0.350,1.00,1.00,0.0
            total,27,40,13,16,0.481,0.593,,,-18.8

            """)
        let extra = try cli.bpe(["compare", "-e", "r50k_base", "--format", "csv", "--sort", "name", "--file", "zz=\(dir)/cjk.txt", dir])
        #expect(String(decoding: extra.stdout, as: UTF8.self).contains("\nenglish,20,20,7,0.350,1.00\nzz,7,20,14,2.000,2.00\n"))
    }

    @Test func builtInSamplesWrittenOutCompareTheSame() throws {
        let dir = try folder([:]) + "/samples"
        #expect(try cli.bpe(["compare", "--write-samples", dir]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.count == 23 && files.contains("persian.txt"))
        let builtIn = try cli.bpe(["compare"])
        let fromFolder = try cli.bpe(["compare", dir])
        #expect(builtIn.status == 0 && builtIn.stdout == fromFolder.stdout)
        let text = String(decoding: builtIn.stdout, as: UTF8.self)
        #expect(text.hasPrefix("Tokens per sample (o200k_base, cl100k_base, r50k_base)\n"))
        #expect(text.contains("\nenglish       466    466    104     104   106"))
        #expect(text.contains("Most digits in one token: 3 (o200k_base), 3 (cl100k_base), 3 (r50k_base)."))
    }

    @Test func formatsAndErrors() throws {
        let html = String(decoding: try cli.bpe(["compare", "--format", "html"]).stdout, as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("tamil, cl100k_base: 727 tokens"))
        let markdown = String(decoding: try cli.bpe(["compare", "--format", "markdown", "-e", "o200k_base"]).stdout, as: UTF8.self)
        #expect(markdown.contains("| sample | chars | bytes | o200k | o200k/char | o200k tax |"))
        let badFile = try cli.bpe(["compare", "--file", "nopath"])
        #expect(badFile.status != 0 && badFile.stderr.contains("--file wants NAME=PATH"))
        let missing = try cli.bpe(["compare", "/nonexistent-dir"])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent-dir"))
        let empty = try cli.bpe(["compare", try folder([:])])
        #expect(empty.status != 0 && empty.stderr.contains("holds no <name>.txt samples"))
        let badFormat = try cli.bpe(["compare", "--format", "pdf"])
        #expect(badFormat.status != 0)
    }
}
