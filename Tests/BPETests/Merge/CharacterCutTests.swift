import Testing
@testable import BPE

/// Cutting short pieces between characters no token joins (`BytePairMerger+CharacterCuts.swift`):
/// the merge must be exactly the uncut one.
@Suite struct CharacterCutTests {
    /// The merge of `piece` by the cutting path, or nil when it declines the piece.
    func cutMerge(_ piece: [UInt8], _ vocabulary: Vocabulary) -> [Rank]? {
        var output = [Rank]()
        let cut = piece.withUnsafeBufferPointer { vocabulary.merger.mergeCutAtCharacters($0.baseAddress!, $0.count, into: &output) }
        if !cut { #expect(output.isEmpty, "a declined piece must append nothing") }
        return cut ? output : nil
    }

    /// Checks the cut merge (when the path takes the piece) and ``BytePairMerger/mergeShortPiece(_:_:into:)``
    /// against the oracle; returns whether the piece was cut.
    func check(_ piece: [UInt8], _ vocabulary: Vocabulary, _ comment: @autoclosure () -> String = "") -> Bool {
        let expected = Support.referenceMerge(piece, vocabulary)
        let merged = cutMerge(piece, vocabulary)
        if let merged { #expect(merged == expected, "\(comment()) \(piece)") }
        var viaShort = [Rank]()
        piece.withUnsafeBufferPointer { vocabulary.merger.mergeShortPiece($0.baseAddress!, $0.count, into: &viaShort) }
        #expect(viaShort == expected, "\(comment()) \(piece)")
        return merged != nil
    }

    /// The worked example in the documentation: `ऱҸ` is cut between its two characters; `ऱ` is one
    /// token, `Ҹ` two single bytes (no token joins D2 B8).
    @Test func workedExample() throws {
        let vocabulary = try Support.encoding("o200k_base").vocabulary
        let piece = Array("ऱҸ".utf8)
        #expect(piece == [0xE0, 0xA4, 0xB1, 0xD2, 0xB8])
        let merged = try #require(cutMerge(piece, vocabulary))
        #expect(merged == [161408, 142, 116])
        #expect(merged == Support.referenceMerge(piece, vocabulary))
    }

    /// Random pieces of characters from many scripts (the worst case this path is for), in the
    /// real vocabularies: the cut merge equals the oracle, and most pieces are cut.
    @Test(arguments: ["o200k_base", "cl100k_base"])
    func randomScriptsMatchOracle(name: String) throws {
        let vocabulary = try Support.encoding(name).vocabulary
        let pool = Array("aZ7éçßøΩжЯשׁعربيहिन्दीकऱไทย漢字かなカナ한국어ḀỆ🙂👍🏽🌋\u{301}\u{200C}\u{200D}".unicodeScalars)
        var rng = SplitMix(state: 42)
        var cutCount = 0
        for _ in 0..<20_000 {
            var piece = [UInt8]()
            let target = Int.random(in: 4...48, using: &rng)
            while true {
                let next = Array(String(pool.randomElement(using: &rng)!).utf8)
                if piece.count + next.count > target { break }
                piece += next
            }
            guard piece.count >= 4 else { continue }
            if check(piece, vocabulary) { cutCount += 1 }
        }
        #expect(cutCount > 10_000)  // the path is exercised, not declined
    }

    /// Pieces of ``BytePairMerger/shortPieceLimit``…``BytePairMerger/characterCutLimit`` bytes
    /// (runs of CJK, Thai or Hangul without a space) are cut between characters too, and their
    /// parts over the short limit go to the long tier: ``BytePairMerger/mergePiece(_:_:into:)``
    /// equals the oracle, and the CJK pieces are mostly cut.
    @Test(arguments: ["o200k_base", "cl100k_base"])
    func longPiecesMatchOracle(name: String) throws {
        let vocabulary = try Support.encoding(name).vocabulary
        let pools = ["日本語の文章を書きます東京都漢字かなカナ中华人民共和国國語", "ไทยภาษาสวัสดีครับขอบคุณมาก",
                     "한국어문장입니다대한민국", "aé漢ไ👍🏽ж\u{301}ऱ"].map { Array($0.unicodeScalars) }
        var rng = SplitMix(state: 96)
        var cutCount = 0
        for round in 0..<4_000 {
            let pool = pools[round % pools.count]
            var piece = [UInt8]()
            let target = Int.random(in: (BytePairMerger.shortPieceLimit + 1)...BytePairMerger.characterCutLimit, using: &rng)
            while true {
                let next = Array(String(pool.randomElement(using: &rng)!).utf8)
                if piece.count + next.count > target { break }
                piece += next
            }
            guard piece.count > BytePairMerger.shortPieceLimit else { continue }
            var merged = [Rank]()
            piece.withUnsafeBufferPointer { vocabulary.merger.mergePiece($0.baseAddress!, $0.count, into: &merged) }
            #expect(merged == Support.referenceMerge(piece, vocabulary), "\(piece)")
            if round % pools.count == 0, cutMerge(piece, vocabulary) != nil { cutCount += 1 }
        }
        #expect(cutCount > 500)  // of the 1,000 CJK pieces
    }

    /// Vocabularies built to break the cut: random byte strings over a few characters that share
    /// bytes, taken from any offset (so many tokens hold part of a character, or span two), in
    /// random rank order (so some are never reached by merges). Pieces of those characters, and of
    /// bytes that are not well-formed UTF-8, merge as the oracle does.
    @Test func adversarialPartialCharacterTokens() throws {
        let characters: [[UInt8]] = ["a", "é", "ç", "ऱ", "क", "😀", "😁", "ж"].map { Array($0.utf8) }
        var rng = SplitMix(state: 2026)
        var cutCount = 0
        for _ in 0..<40 {
            var tokens = Set<[UInt8]>()
            while tokens.count < 60 {
                let text = (0..<3).flatMap { _ in characters.randomElement(using: &rng)! }
                let start = Int.random(in: 0..<(text.count - 1), using: &rng)
                let length = Int.random(in: 2...min(6, text.count - start), using: &rng)
                tokens.insert(Array(text[start..<(start + length)]))
            }
            let vocabulary = try Support.vocabulary(extraBytes: tokens.shuffled(using: &rng))
            for _ in 0..<300 {
                var piece = [UInt8]()
                let target = Int.random(in: 4...40, using: &rng)
                while piece.count < target { piece += characters.randomElement(using: &rng)! }
                if Int.random(in: 0..<8, using: &rng) == 0 {  // sometimes not well-formed
                    piece[Int.random(in: 0..<piece.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
                }
                if check(piece, vocabulary, "\(tokens)") { cutCount += 1 }
            }
            for _ in 0..<30 {  // longer pieces: cut, then the long tier for long parts
                var piece = [UInt8]()
                let target = Int.random(in: (BytePairMerger.shortPieceLimit + 1)...BytePairMerger.characterCutLimit, using: &rng)
                while piece.count < target { piece += characters.randomElement(using: &rng)! }
                var merged = [Rank]()
                piece.withUnsafeBufferPointer { vocabulary.merger.mergePiece($0.baseAddress!, $0.count, into: &merged) }
                #expect(merged == Support.referenceMerge(piece, vocabulary), "\(tokens) \(piece)")
            }
        }
        #expect(cutCount > 1_000)
    }

    /// The table of three-byte characters: for every string shaped like one (lead byte E0–EF, two
    /// continuation bytes), its lookup equals the general table's, and its merge the oracle's, in
    /// o200k_base and in a vocabulary with a token the merges never reach.
    @Test func threeByteCharacterTable() throws {
        // "ऱ" (E0 A4 B1) is a token whose pairs are not: lookups find it, merging never forms it.
        // E0 A5 merges first in E0 A5 xx (and E0 A5 80 is reached), A4 95 in E0 A4 95.
        let unreachable = try Support.vocabulary(extraBytes: [[0xE0, 0xA4, 0xB1], [0xE0, 0xA5], [0xA4, 0x95],
                                                              [0xE0, 0xA5, 0x80], [0xE0, 0xA4, 0x95, 0x61]])
        for vocabulary in [try Support.encoding("o200k_base").vocabulary, unreachable] {
            for index in 0..<65536 {
                let piece: [UInt8] = [UInt8(0xE0 | index >> 12), UInt8(0x80 | (index >> 6) & 0x3F), UInt8(0x80 | index & 0x3F)]
                let rank = piece.withUnsafeBufferPointer { vocabulary.table.rank($0.baseAddress!, 3) }
                #expect(rank == vocabulary.rank(of: piece) ?? RankTable.noRank)
                // The character as a part of a cut piece, from its table entry; and by the unrolled loop.
                let expected = Support.referenceMerge(piece, vocabulary)
                var merged = [Rank](), tiny = [Rank]()
                vocabulary.merger.mergeCharacter(UInt64(piece[0]) | UInt64(piece[1]) << 8 | UInt64(piece[2]) << 16, 3, into: &merged)
                piece.withUnsafeBufferPointer { vocabulary.merger.mergeUpToThree($0.baseAddress!, 3, into: &tiny) }
                #expect(merged == expected)
                #expect(tiny == expected)
            }
        }
        #expect(unreachable.rank(of: [0xE0, 0xA4, 0xB1]) == 256)
        #expect(unreachable.referenceMerge([0xE0, 0xA4, 0xB1]).count == 3)
        #expect(unreachable.referenceMerge([0xE0, 0xA5, 0x80]) == [259])
        #expect(unreachable.referenceMerge([0xE0, 0xA5, 0x81]) == [257, 0x81])
        #expect(unreachable.referenceMerge([0xE0, 0xA4, 0x95]) == [0xE0, 258])
    }
}
