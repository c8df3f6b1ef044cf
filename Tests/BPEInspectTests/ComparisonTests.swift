@testable import BPE
import Foundation
import Testing
@testable import BPEInspect

/// `bpe compare`'s model and renderers: counts equal tiktoken's on the built-in samples, and the
/// known facts come out of the measured categories.
@Suite struct ComparisonTests {
    static let names = ["o200k_base", "o200k_harmony", "cl100k_base", "p50k_base", "r50k_base"]

    static func comparison(_ names: [String] = names, samples: [Comparison.Sample] = SampleTexts.all) throws -> Comparison {
        try Comparison(samples: samples, encodings: names.map { try Encoding.named($0) })
    }

    /// compare-samples.json holds, per built-in sample, its sha256 and tiktoken 0.14's counts
    /// (written by `Tools/check-compare --write-fixture`).
    @Test func countsEqualTiktokenOnTheBuiltInSamples() throws {
        let url = try #require(Bundle.module.url(forResource: "compare-samples", withExtension: "json", subdirectory: "Fixtures"))
        let fixture = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [String: Any]])
        #expect(Set(fixture.keys) == Set(SampleTexts.all.map(\.name)), "the fixture is stale: run Tools/check-compare --write-fixture")
        let comparison = try Self.comparison()
        for (sample, row) in zip(SampleTexts.all, comparison.rows) {
            let expected = try #require(fixture[sample.name])
            #expect(expected["sha256"] as? String == SHA256.hexDigest(Array(sample.text.utf8)),
                    "\(sample.name) changed: run Tools/check-compare --write-fixture")
            #expect(row.bytes == expected["bytes"] as? Int)
            #expect(row.characters == expected["characters"] as? Int, "\(sample.name) characters")
            let tokens = try #require(expected["tokens"] as? [String: Int])
            for (index, name) in comparison.encodings.enumerated() {
                #expect(row.tokens[index] == tokens[name], "\(sample.name) under \(name)")
            }
        }
    }

    @Test func builtInSetCoversTheLanguagesAndKinds() {
        let names = Set(SampleTexts.all.map(\.name))
        for required in ["english", "chinese", "japanese", "korean", "arabic", "persian", "hebrew", "hindi", "bengali",
                         "tamil", "thai", "russian", "greek", "german", "french", "spanish", "vietnamese", "swahili",
                         "turkish", "python", "swift", "emoji-chat", "numbers"] {
            #expect(names.contains(required), "\(required)")
        }
        #expect(SampleTexts.all.first { $0.name == "persian" }!.text.unicodeScalars.contains("\u{200C}"))
    }

    @Test func knownFactsAreMeasured() throws {
        let c = try Self.comparison(["o200k_base", "cl100k_base"])
        func counts(_ category: Category) throws -> [Comparison.CategoryCounts] {
            try #require(c.categories.first { $0.category == category }?.counts)
        }
        let emoji = try counts(.emoji), cjk = try counts(.cjk), arabic = try counts(.arabic), digits = try counts(.digits)
        #expect(emoji[0].tokensPerCharacter < emoji[1].tokensPerCharacter)
        #expect(cjk[0].tokensPerCharacter < cjk[1].tokensPerCharacter)
        #expect(arabic[0].wholePieceShare > 0.5 && arabic[0].wholePieceShare > 3 * arabic[1].wholePieceShare)
        #expect(digits[0].longestToken == 3 && digits[1].longestToken == 3)
        // The tax is relative to English, and o200k_base saves tokens overall.
        let english = try #require(c.rows.first { $0.name == "english" })
        #expect(english.tax == [1, 1])
        #expect(c.o200kChange(c.total)! < -40)
        let findings = ComparisonRenderer.findings(c)
        #expect(findings.contains("Most digits in one token: 3 (o200k_base), 3 (cl100k_base)."))
    }

    @Test func renderersAgreeOnTheNumbers() throws {
        let samples = [Comparison.Sample(name: "english", text: "Hello world, 12345!\n"),
                       Comparison.Sample(name: "cjk", text: "你好，世界 🐍")]
        let c = try Self.comparison(["o200k_base", "cl100k_base"], samples: samples)
        #expect(c.rows.map(\.tokens) == [[7, 7], [6, 9]])
        let csv = ComparisonRenderer.render(c, format: .csv, order: .input)
        #expect(csv == """
            sample,chars,bytes,tokens_o200k_base,tokens_cl100k_base,tokens_per_char_o200k_base,tokens_per_char_cl100k_base,tax_o200k_base,tax_cl100k_base,change_cl100k_to_o200k_percent
            english,20,20,7,7,0.350,0.350,1.00,1.00,0.0
            cjk,7,20,6,9,0.857,1.286,0.86,1.29,-33.3
            total,27,40,13,16,0.481,0.593,,,-18.8

            """)
        let markdown = ComparisonRenderer.render(c, format: .markdown, order: .tokens)
        #expect(markdown.contains("| english | 20 | 20 | 7 | 7 | 0.350 | 0.350 | 1.00 | 1.00 | 0.0% |"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ComparisonRenderer.render(c, format: .json, order: .input).utf8)) as? [String: Any])
        let rows = try #require(json["samples"] as? [[String: Any]])
        #expect((rows.last?["tokens"] as? [String: Int]) == ["o200k_base": 6, "cl100k_base": 9])
        let html = ComparisonRenderer.render(c, format: .html)
        #expect(html.contains("<svg") && html.contains("cjk, cl100k_base: 9 tokens"))
        #expect(!html.contains("src=") && !html.contains("href="), "the page is self-contained")
    }

    @Test func withoutBaselineThereIsNoTax() throws {
        let c = try Self.comparison(["r50k_base"], samples: [Comparison.Sample(name: "a", text: "x y z")])
        #expect(c.baseline == nil && c.rows[0].tax == nil)
        #expect(ComparisonRenderer.render(c, format: .csv) == "sample,chars,bytes,tokens_r50k_base,tokens_per_char_r50k_base\na,5,5,3,0.600\ntotal,5,5,3,0.600\n")
    }

    @Test func numberFormatting() {
        #expect(fixed(-33.333, digits: 1) == "-33.3")
        #expect(fixed(-0.04, digits: 1) == "0.0")
        #expect(fixed(2.5, digits: 0) == "3")
        #expect(fixed(0.05, digits: 3) == "0.050")
        #expect(ComparisonRenderer.percent(-0.04) == "0.0%")
        #expect([1, 5, 6, 26, 99, 1454].map(ComparisonHTML.tickStep) == [1, 1, 2, 10, 20, 500])
    }
}
