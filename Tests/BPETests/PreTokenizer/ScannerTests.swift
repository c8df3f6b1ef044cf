import Foundation
import Testing
@testable import BPE

/// The hand-written scanners split exactly as PCRE2 does (PCRE2 itself matches tiktoken: see
/// DifferentialTests, which run through the scanners, and PCRE2ReferenceTests).
@Suite struct ScannerTests {
    static let patterns = [("o200k", Pattern.o200k), ("cl100k", Pattern.cl100k), ("r50k", Pattern.r50k),
                           ("llama3", Pattern.llama3), ("qwen", Pattern.qwen), ("qwen3.5", Pattern.qwen3_5), ("tekken", Pattern.tekken),
                           ("byteLevel", Pattern.byteLevel)]

    func pieces(_ tokenizer: PreTokenizer, _ text: String) throws -> [Range<Int>] {
        try tokenizer.pieces(text)
    }

    func pair(_ pattern: String) throws -> (scanner: PreTokenizer, pcre2: PreTokenizer) {
        let scanner = try PreTokenizer(pattern: pattern)
        #expect(scanner.scanner != nil)
        return (scanner, try PreTokenizer(pattern: pattern, engine: .pcre2))
    }

    /// Tricky scalars: every class the rules distinguish, and the contraction letters.
    static let alphabet: [String] = [
        " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{A0}", "\u{3000}", "\u{85}", "\u{2028}", "\u{0B}",
        "a", "b", "A", "B", "ǅ", "ʰ", "中", "ア", "\u{301}", "\u{903}", "\u{20DD}", "1", "٣", "Ⅻ", "½",
        "!", "/", ".", "'", "s", "S", "ſ", "t", "T", "l", "L", "v", "e", "r", "R", "m", "d", "D",
        "👍", "\u{200D}", "\u{FE0F}", "\u{1F3FD}", "$", "\u{0}", "é", "Ω", "ω", "ß",
    ]

    /// Splits 30,000 strings of `lengths` elements of `alphabet` with both engines. Returns nil when
    /// all split alike, else how many differ and the first five, as lists of scalar values.
    func differingStrings(_ name: String, _ alphabet: [String], lengths: ClosedRange<Int>, seed: UInt64) throws -> String? {
        let (scanner, pcre2) = try pair(Self.patterns.first { $0.0 == name }!.1)
        var rng = SplitMix(state: seed)
        var differing = [String]()
        for _ in 0..<30_000 {
            let text = (0..<Int.random(in: lengths, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            if try pieces(scanner, text) != pieces(pcre2, text) { differing.append(text) }
        }
        if differing.isEmpty { return nil }
        return "\(differing.count) differ, e.g. \(differing.prefix(5).map { $0.unicodeScalars.map { String($0.value, radix: 16) } })"
    }

    @Test(arguments: patterns.map(\.0))
    func randomStringsSplitLikePCRE2(_ name: String) throws {
        let differing = try differingStrings(name, Self.alphabet, lengths: 1...14, seed: 99)
        #expect(differing == nil, "\(name): \(differing ?? "")")
    }

    /// Mostly ASCII, in strings longer than the ones above: long ASCII letter and digit runs, and
    /// next to them the non-ASCII scalars that may go on with a run (letters, marks, numbers), so
    /// that any shortcut for ASCII runs is checked where it must give way.
    static let asciiAlphabet: [String] = [
        "a", "b", "z", "A", "B", "Z", "0", "7", "9", " ", "\t", "\n", "\r", "+", "/", "_", "-", ".", "'", "s", "S",
        "t", "l", "L", "re", "VE", "'s", "'ll", "'T", "ſ", "é", "É", "中", "ʰ", "ǅ", "\u{301}", "٣", "½", "\u{A0}", "👍",
        "abcdefghijklmno", "ABCDEFGHIJKLMNO", "Abcdefghijklmn", "123456", " hello", "HTTP", "\u{0B}", "\u{0}",
    ]

    @Test(arguments: patterns.map(\.0))
    func asciiRunsSplitLikePCRE2(_ name: String) throws {
        let differing = try differingStrings(name, Self.asciiAlphabet, lengths: 8...40, seed: 7)
        #expect(differing == nil, "\(name): \(differing ?? "")")
    }

    /// Base64 and punctuation-heavy ASCII: every visible ASCII character, base64's letters,
    /// digits and `+/` weighted up, next to white space, contractions, digit runs and letters and
    /// marks beyond ASCII (where a shortcut for ASCII pieces would have to give way).
    static let base64Alphabet: [String] = (0x21...0x7E).map { String(Unicode.Scalar(UInt8($0))) }
        + Array(repeating: ["a", "q", "z", "A", "Q", "Z", "0", "5", "9", "+", "/", "++", "+a", "aB"], count: 4).flatMap { $0 }
        + [" ", "\n", "\t", "'s", "'LL", "1234", "é", "É", "\u{301}", "中", "٣", "abcdefgh", "ABCDEFGH", "\u{0}"]

    @Test(arguments: patterns.map(\.0))
    func base64AndPunctuationSplitLikePCRE2(_ name: String) throws {
        let differing = try differingStrings(name, Self.base64Alphabet, lengths: 1...40, seed: 64)
        #expect(differing == nil, "\(name): \(differing ?? "")")
    }

    /// `Cursor.asciiWordEnd`, the bit-scan shortcut for o200k's word rule at a piece's first
    /// letter, against the rule itself (`o200kWords`).
    @Test func asciiWordEndMatchesTheWordRule() {
        func both(_ text: String) -> (shortcut: [Int?]?, rule: [Int?]) {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { buffer in
                let cursor = Cursor(base: buffer.baseAddress!, count: buffer.count, classes: .shared)
                let rule = cursor.o200kWords(0)
                return (cursor.asciiWordEnd(0).map { [$0.lower, $0.upper] }, [rule.lower, rule.upper])
            }
        }
        // Worked examples: where the upper- then lower-case run ends, and where it gives way.
        #expect(both("aBcDeFgH").shortcut == [1, 1])      // a | B…
        #expect(both("ABcdEfgh").shortcut == [4, 4])      // ABcd | E…
        #expect(both("ABC1defg").shortcut == [nil, 3])    // only [UP]+[LOW]* matches
        #expect(both("ab's+xyz").shortcut == nil)         // a contraction follows
        #expect(both("abcdefgh").shortcut == nil)         // the word may go on past the text's last eight bytes
        #expect(both("Abcdefghijk+abcdefgh").shortcut == [11, 11])  // a long word: its lower-case run, eight at a time
        #expect(both("abcdefghijklmnoé+abcdefgh").shortcut == nil)  // …that meets a byte beyond ASCII
        #expect(both("ABCDEFGH").shortcut == nil)
        #expect(both("abcdé+xy").shortcut == nil)         // a byte beyond ASCII may go on with the word
        #expect(both("abc+é.xy").shortcut == [3, 3])      // …but this word ended before it
        #expect(both("aBcDeFg").shortcut == nil)          // fewer than eight bytes
        // Random text: wherever the shortcut answers, it answers as the rule does.
        let pool = Array("aAbBzZqQ09+/ .'\"-_\n\t").map(String.init) + ["é", "\u{301}", "ab", "cdefgh", "xyz", "ſ"]
        var rng = SplitMix(state: 8)
        var answered = 0
        for _ in 0..<20_000 {
            let letter = String(Array("aBzQ").randomElement(using: &rng)!)
            let text = letter + (0..<Int.random(in: 7...24, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
            let result = both(text)
            if let shortcut = result.shortcut {
                answered += 1
                #expect(shortcut == result.rule, "\(text.debugDescription)")
            }
        }
        #expect(answered > 5_000)
    }

    /// `Cursor.asciiSpacesEnd`, the bit-scan shortcut for a run of spaces before a piece: all but
    /// its last space when at least two come before an ASCII byte that is not white space.
    @Test func asciiSpacesEndMatchesTheSpaceRule() throws {
        func shortcut(_ text: String) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer {
                Cursor(base: $0.baseAddress!, count: $0.count, classes: .shared).asciiSpacesEnd(0)
            }
        }
        #expect(shortcut("    return x") == 3)             // three spaces, then ` return`
        #expect(shortcut("  (a, b)  ") == 1)
        #expect(shortcut(String(repeating: " ", count: 21) + "pass    ") == 20)  // runs longer than eight bytes
        #expect(shortcut(" return x") == nil)              // one space: the word rule takes it
        #expect(shortcut("   \treturn x") == nil)          // other white space ends the run: the rules decide
        #expect(shortcut("   \nreturn x") == nil)
        #expect(shortcut("   \u{A0}return x") == nil)      // a byte beyond ASCII: the rules decide
        #expect(shortcut("      ") == nil)                 // the text ends within eight bytes
        // Against PCRE2: runs of spaces before every kind of ASCII byte.
        let (scanner, pcre2) = try pair(Pattern.o200k)
        for count in 1...20 {
            for byte in UInt8(0x09)...UInt8(0x7E) {
                let text = String(repeating: " ", count: count) + String(UnicodeScalar(byte)) + "abc def 123"
                #expect(try pieces(scanner, text) == pieces(pcre2, text), "\(count) spaces, then \(byte)")
            }
        }
    }

    /// The ASCII shortcuts at a piece's start (`Cursor.o200kASCIIPiece`, `cl100kASCIIPiece`: a
    /// prefix byte and a word, spaces, ` ?OTHER+` runs that may go on beyond ASCII): every pair
    /// of ASCII bytes, before tails that go on with punctuation beyond ASCII, newlines and
    /// slashes, digits, a contraction, and marks (which Qwen 3.5's punctuation runs leave out).
    @Test(arguments: ["o200k", "cl100k", "tekken", "llama3", "qwen", "qwen3.5"])
    func asciiShortcutsSplitLikePCRE2(_ name: String) throws {
        let (scanner, pcre2) = try pair(Self.patterns.first { $0.0 == name }!.1)
        var differing = [String]()
        for first in UInt8(0x09)...UInt8(0x7E) {
            for second in UInt8(0x09)...UInt8(0x7E) {
                for tail in ["«—» x\n/y", "..\r\n/ab  c", "12 c'll", "é+", "\u{A0}\u{301}!", "«\u{9BE}a\u{301}\n\n"] {
                    let text = String(UnicodeScalar(first)) + String(UnicodeScalar(second)) + tail
                    if try pieces(scanner, text) != pieces(pcre2, text) { differing.append(text) }
                }
            }
        }
        #expect(differing.isEmpty, "\(name): \(differing.prefix(5).map(\.debugDescription))")
    }

    /// The chunks for which `differs` holds, by their first and last scalar: every scalar, each
    /// put in `context`, `perChunk` (a power of two) scalars a chunk.
    static func differingChunks(perChunk: Int, _ context: (String) -> String, _ differs: (String) throws -> Bool) rethrows -> [String] {
        var differing = [String]()
        var chunk = ""
        var first = 0
        for value in 0...0x10FFFF where !(0xD800...0xDFFF).contains(value) {
            chunk += context(String(Unicode.Scalar(UInt32(value))!))
            if value % perChunk == perChunk - 1 || value == 0x10FFFF {
                if try differs(chunk) { differing.append(String(format: "U+%04X…U+%04X", first, value)) }
                chunk = ""
                first = value + 1
            }
        }
        return differing
    }

    /// Every scalar in several contexts, in chunks.
    @Test(arguments: patterns.map(\.0))
    func everyScalarSplitsLikePCRE2(_ name: String) throws {
        let (scanner, pcre2) = try pair(Self.patterns.first { $0.0 == name }!.1)
        let differing = try Self.differingChunks(perChunk: 2048, { c in
            "a\(c)b \(c)\(c)1 \(c)'s x\(c)\n\(c)A\(c)a'\(c) \(c)\r\n\(c)  \(c)\u{301}\(c)!\(c)"
        }) { chunk in try pieces(scanner, chunk) != pieces(pcre2, chunk) }
        #expect(differing.isEmpty, "\(name): \(differing)")
    }

    @Test(arguments: patterns.map(\.0))
    func fixtureCorpusSplitsLikePCRE2(_ name: String) throws {
        let (scanner, pcre2) = try pair(Self.patterns.first { $0.0 == name }!.1)
        let cases = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        for testCase in cases where testCase["mode"] as! String == "text" {
            let text = String(decoding: Data(base64Encoded: testCase["input"] as! String)!, as: UTF8.self)
            #expect(try pieces(scanner, text) == pieces(pcre2, text), "\(testCase["name"]!)")
        }
    }

    /// A tokenizer.json's `ByteLevel` regex (GPT-NeoX's) is split by the r50k scanner, which the
    /// tests above prove equal to PCRE2 on that pattern.
    @Test func huggingFaceByteLevelUsesTheR50kScanner() throws {
        #expect(try PreTokenizer.Step.byteLevel().matches?.scanner == .r50k)
        #expect(try PreTokenizer.Step.byteLevel(addPrefixSpace: true).matches?.scanner == .r50k)
        #expect(try PreTokenizer(pattern: Pattern.byteLevel, engine: .pcre2).scanner == nil)
    }

    @Test func customPatternsUsePCRE2() throws {
        #expect(try PreTokenizer(pattern: #"\p{L}+|."#).scanner == nil)
        #expect(try PreTokenizer(pattern: Pattern.o200k, engine: .pcre2).scanner == nil)
    }

    /// Text that no alternative of a custom pattern matches is a piece of its own (Hugging Face's
    /// `Split` with `Isolated`), not skipped as tiktoken skips it: encoding never loses text.
    @Test func textNoAlternativeMatchesIsItsOwnPiece() throws {
        let splitter = try PreTokenizer(pattern: #"\p{L}+| ?\p{N}+"#)
        // ZWJ, ZWSP, LRM and BEL are in no alternative; nor are the spaces before letters.
        let text = "\u{200D}ab\u{200B}\u{200E} 12\u{07}  cd!"
        let pieces = try splitter.pieces(text).map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
        #expect(pieces == ["\u{200D}", "ab", "\u{200B}\u{200E}", " 12", "\u{07}  ", "cd", "!"])
        let encoding = try Encoding(name: "custom", vocabulary: Support.vocabulary(extra: ["ab"]), pattern: splitter.pattern, specialTokens: [:])
        #expect(try encoding.decode(encoding.encode(text)) == text)
        #expect(try splitter.unmatchedRanges(text).map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
                == ["\u{200D}", "\u{200B}\u{200E}", "\u{07}  ", "!"])
        #expect(try PreTokenizer(pattern: Pattern.o200k).unmatchedRanges(text).isEmpty)

        // tiktoken's choice, asked for: only the matches are encoded.
        let dropping = try Encoding(name: "custom", vocabulary: Support.vocabulary(extra: ["ab"]), pattern: splitter.pattern,
                                    specialTokens: [:], unmatchedText: .dropped)
        #expect(try dropping.decode(dropping.encode(text)) == "ab 12cd")
    }

    /// Long runs stay linear: each takes one scan (no timing here; a quadratic scanner would make
    /// this test take minutes rather than milliseconds).
    @Test func longRunsOfEveryClass() throws {
        for (_, pattern) in Self.patterns {
            let (scanner, pcre2) = try pair(pattern)
            for unit in ["a", "A", "中", "\u{301}", "1", "!", " ", "\n", " \n", "Aa", "ǅ"] {
                let text = String(repeating: unit, count: 20_000) + "x"
                #expect(try pieces(scanner, text) == pieces(pcre2, text), "\(unit.unicodeScalars.first!.value)")
            }
        }
    }
}
