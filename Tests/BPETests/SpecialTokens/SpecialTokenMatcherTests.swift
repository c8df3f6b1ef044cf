import Testing
@testable import BPE

/// `SpecialTokenMatcher.firstMatch` against the definition: the leftmost position where a name
/// starts, the longest name there.
@Suite struct SpecialTokenMatcherTests {
    func naive(_ names: [String], _ text: [UInt8], from start: Int) -> (range: Range<Int>, name: String)? {
        for i in start..<text.count {
            let here = names.filter { text[i...].starts(with: Array($0.utf8)) }
            if let longest = here.max(by: { $0.utf8.count < $1.utf8.count }) { return (i..<(i + longest.utf8.count), longest) }
        }
        return nil
    }

    /// Names with few first bytes (scanned eight bytes at a time), with many (byte by byte), with
    /// one-byte names and names sharing first bytes, in texts where they fall at every offset
    /// within and across the eight-byte words, near the end, and half-written.
    @Test(arguments: [["<|endoftext|>", "<|fim|>", "<｜User｜>", "｜DSML｜"],
                      ["<|a|>", "x", "\n\n", "ab", "abc", "é", "中文", "<b>", "#", "$$", "%"],
                      ["<", "<<", "<<<"]])
    func firstMatchIsTheLeftmostLongest(_ names: [String]) {
        let matcher = SpecialTokenMatcher(Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Rank($0)) }))
        let filler = ["a", " ", "<", "|", "｜", "，", "中", "\n", "x", "<|", "<｜", "ab", "é", "$"]
        var rng = SplitMix(state: 42)
        for _ in 0..<3000 {
            var parts = [String]()
            for _ in 0..<Int.random(in: 0...24, using: &rng) {
                parts.append(Int.random(in: 0..<5, using: &rng) == 0 ? names.randomElement(using: &rng)! : filler.randomElement(using: &rng)!)
            }
            let text = Array(parts.joined().utf8)
            let from = Int.random(in: 0...text.count, using: &rng)
            let expected = naive(names, text, from: from)
            let found = text.withUnsafeBufferPointer { matcher.firstMatch(in: $0, from: from) }
            #expect(found?.range == expected?.range && found.map { matcher.names[$0.index] } == expected?.name,
                    "\(String(decoding: text, as: UTF8.self).debugDescription) from \(from)")
        }
    }
}
