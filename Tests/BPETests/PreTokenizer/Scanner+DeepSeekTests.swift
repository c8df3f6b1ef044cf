import Foundation
import Testing
@testable import BPE

/// DeepSeek V4's scanner (`Scanner+DeepSeek.swift`) gives exactly the pieces of its three `Split`
/// steps run one after the other by PCRE2 (which match the vendor's: `OpenModelTests`).
@Suite struct DeepSeekScannerTests {
    /// The scanner, and the steps it stands for.
    func pair() throws -> (scanner: PreTokenizer, steps: PreTokenizer) {
        let steps = try Pattern.deepSeekSplits.map { try PreTokenizer.Step(split: $0, behavior: .isolated) }
        return (PreTokenizer(steps: steps, scanner: .deepseek, description: "DeepSeek"), PreTokenizer(steps: steps, description: "DeepSeek"))
    }

    func strings(_ text: String, _ tokenizer: PreTokenizer) throws -> [String] {
        let bytes = Array(text.utf8)
        return try tokenizer.pieces(text).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func workedExample() throws {
        let (scanner, steps) = try pair()
        let text = "価格は100円・税込 (tax)"
        let expected = ["価格は", "100", "円", "・", "税込", " (", "tax", ")"]
        #expect(try strings(text, scanner) == expected)
        #expect(try strings(text, steps) == expected)
    }

    @Test func tokenizerJSONWithTheseStepsGetsTheScanner() throws {
        #expect(try Support.encoding("deepseek-v4").preTokenizer.scanner == .deepseek)
        #expect(try Support.encoding("olmo2").preTokenizer.scanner == nil)
        #expect(try !Support.encoding("deepseek-v4").preTokenizer.hasSafeCuts)
    }

    /// Every class the steps tell apart, at segment edges: numbers of several scripts, CJK and
    /// kana with the punctuation and symbols inside their ranges (・ ゛ ゠) and the unassigned
    /// U+3040, fullwidth forms, ASCII punctuation before letters, white space of every kind,
    /// format and control characters, marks, emoji.
    static let alphabet: [String] = ScannerTests.alphabet + [
        "中文", "ひらがな", "カタカナ", "・", "゛", "゜", "゠", "ヿ", "ー", "\u{3040}", "\u{3097}", "龥", "龦", "〇", "。",
        "，", "？", "ｱ", "Ａ", "０", "１２３４", "12345", "(", ")", "[", "`", "~", "-", "_", "\\", "\"", "#", "@",
        "\u{200B}", "\u{200C}", "\u{FEFF}", "\u{E000}", "\u{7F}", "\u{1}", "\u{378}", "\u{2028}", "\u{205F}", "\u{1680}",
        "²", "Ⅻ", "٣٤", "अ", "\u{94D}", "ก", "\u{E31}", "가", "😀", "🇺🇸", "x", "Y", "\r\n\r\n", "   ",
    ]

    @Test func randomStringsSplitAsTheSteps() throws {
        let (scanner, steps) = try pair()
        var rng = SplitMix(state: 2026)
        var differing = [String]()
        for _ in 0..<30_000 {
            let text = (0..<Int.random(in: 1...16, using: &rng)).map { _ in Self.alphabet.randomElement(using: &rng)! }.joined()
            if try scanner.pieces(text) != steps.pieces(text) { differing.append(text) }
        }
        #expect(differing.isEmpty, "\(differing.count) differ, e.g. \(differing.prefix(5).map { $0.unicodeScalars.map { String($0.value, radix: 16) } })")
    }

    /// Every scalar, next to letters, numbers, CJK, kana punctuation, ASCII punctuation and white space.
    @Test func everyScalarSplitsAsTheSteps() throws {
        let (scanner, steps) = try pair()
        let differing = try ScannerTests.differingChunks(perChunk: 4096, { c in
            "a\(c)b \(c)\(c)1 \(c)中\(c)・\(c)(\(c)x \(c)\n\(c)\r\n\(c)  \(c)\u{301}\(c)!\(c)"
        }) { chunk in try scanner.pieces(chunk) != steps.pieces(chunk) }
        #expect(differing.isEmpty, "\(differing)")
    }

    @Test func fixtureCorpusSplitsAsTheSteps() throws {
        let (scanner, steps) = try pair()
        let cases = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        for testCase in cases where testCase["mode"] as! String == "text" {
            let text = String(decoding: Data(base64Encoded: testCase["input"] as! String)!, as: UTF8.self)
            #expect(try scanner.pieces(text) == steps.pieces(text), "\(testCase["name"]!)")
        }
    }
}
