import Testing
@testable import BPE

/// Merging from characters instead of bytes (`BytePairMerger+CharacterParts.swift`): when the
/// path takes a piece, its merge must be exactly the byte merge; where its rule would break, it
/// must decline.
@Suite struct CharacterPartTests {
    /// The soft boundaries of a piece of well-formed characters, found as the cutting loop finds
    /// them (nil when the piece is not well-formed). A place where the loop would cut is a hard
    /// boundary like any other: the path may take the whole piece.
    func softBoundaries(_ piece: [UInt8], _ merger: BytePairMerger) -> BytePairMerger.SoftBoundaries? {
        piece.withUnsafeBufferPointer { buffer -> BytePairMerger.SoftBoundaries? in
            let p = buffer.baseAddress!, count = buffer.count
            let filter = BlockedBloomFilter(words: merger.table.boundaryFilter)
            var soft = BytePairMerger.SoftBoundaries()
            var (left, leftLength) = BytePairMerger.character(p, 0, count)
            guard leftLength > 0 else { return nil }
            var b = leftLength
            while b < count {
                let (right, rightLength) = BytePairMerger.character(p, b, count)
                guard rightLength > 0 else { return nil }
                if leftLength > 1 || rightLength > 1 {
                    switch merger.spanning(left, leftLength, right, rightLength, filter) {
                    case .partly: soft.insert(b)
                    case .none, .whole: break
                    }
                }
                (left, leftLength) = (right, rightLength)
                b += rightLength
            }
            return soft
        }
    }

    /// The merge by characters of a whole piece, or nil when the path declines it (or the piece
    /// is not well-formed).
    func characterMerge(_ piece: [UInt8], _ vocabulary: Vocabulary) -> [Rank]? {
        guard let soft = softBoundaries(piece, vocabulary.merger) else { return nil }
        var output = [Rank]()
        let taken = piece.withUnsafeBufferPointer {
            vocabulary.merger.mergeByCharacters($0.baseAddress!, from: 0, to: $0.count, soft: soft, into: &output)
        }
        if !taken { #expect(output.isEmpty, "a declined piece must append nothing") }
        return taken ? output : nil
    }

    /// The worked example in the documentation: `мир` merges from its three characters in one
    /// merge, where the byte merge makes five.
    @Test func workedExample() throws {
        let vocabulary = try Support.encoding("o200k_base").vocabulary
        let piece = Array("мир".utf8)
        #expect(piece == [0xD0, 0xBC, 0xD0, 0xB8, 0xD1, 0x80])
        #expect(vocabulary.rank(of: piece) == nil)
        #expect(["м", "и", "р", "ир"].map { vocabulary.rank(of: Array($0.utf8)) } == [500, 331, 345, 2479])
        #expect(vocabulary.rank(of: Array("ми".utf8)) == 3688)
        let merged = try #require(characterMerge(piece, vocabulary))
        #expect(merged == [500, 2479])
        #expect(merged == Support.referenceMerge(piece, vocabulary))
    }

    /// The rule, both ways: `é`, `ж`, `ç` (two bytes each) in a vocabulary where `жç` ranks below
    /// `ç` itself. The byte merge forms `éж` before `ç` exists, so `жç` never forms; merged from
    /// characters, `жç` would come first. The path must decline. With `ç` ranked first it takes
    /// the piece, and agrees.
    @Test func declinesWhenAMergeComesBeforeACharacterIsDone() throws {
        let (e, zhe, c) = (Array("é".utf8), Array("ж".utf8), Array("ç".utf8))
        let piece = e + zhe + c
        let breaking = try Support.vocabulary(extraBytes: [e, zhe, zhe + c, e + zhe, c])
        #expect(Support.referenceMerge(piece, breaking) == [259, 260])  // éж, ç
        #expect(characterMerge(piece, breaking) == nil)
        var merged = [Rank]()
        piece.withUnsafeBufferPointer { breaking.merger.mergePiece($0.baseAddress!, $0.count, into: &merged) }
        #expect(merged == [259, 260])

        let keeping = try Support.vocabulary(extraBytes: [e, zhe, c, zhe + c, e + zhe])
        #expect(Support.referenceMerge(piece, keeping) == [256, 259])  // é, жç
        #expect(characterMerge(piece, keeping) == [256, 259])
    }

    /// Random pieces of many scripts in the real vocabularies: wherever the path takes a piece, it
    /// equals the oracle, and it takes most pieces of scripts with two- and three-byte letters.
    @Test(arguments: ["o200k_base", "cl100k_base", "llama3", "qwen3.5"])
    func randomScriptsMatchOracle(name: String) throws {
        let vocabulary = try Support.encoding(name).vocabulary
        let pools = ["привет мир слово кошка", "ελληνικάγλώσσα", "ไทยภาษาสวัสดีครับ", "日本語の文章東京都",
                     "한국어문장", "مرحبابالعالم", "हिन्दीभाषा", "aé漢ไ👍🏽ж\u{301}ऱ "].map { Array($0.unicodeScalars) }
        var rng = SplitMix(state: 7)
        var taken = 0
        for round in 0..<16_000 {
            let pool = pools[round % pools.count]
            var piece = [UInt8]()
            let target = Int.random(in: 4...BytePairMerger.characterCutLimit, using: &rng)
            while true {
                let next = Array(String(pool.randomElement(using: &rng)!).utf8)
                if piece.count + next.count > target { break }
                piece += next
            }
            guard piece.count >= 4 else { continue }
            if let merged = characterMerge(piece, vocabulary) {
                #expect(merged == Support.referenceMerge(piece, vocabulary), "\(piece)")
                taken += 1
            }
        }
        #expect(taken > 1_000)
    }

    /// Vocabularies built against the path: random byte strings over characters that share bytes,
    /// taken from any offset (tokens holding part of a character, or spanning two), in random rank
    /// order (some never reached, some ranked below their own parts). Wherever the path takes a
    /// piece, it equals the oracle; it both takes and declines pieces.
    @Test func adversarialVocabularies() throws {
        let characters: [[UInt8]] = ["a", "é", "ç", "ऱ", "क", "😀", "ж", "ш"].map { Array($0.utf8) }
        var rng = SplitMix(state: 2027)
        var (taken, declined) = (0, 0)
        for _ in 0..<60 {
            var tokens = Set<[UInt8]>()
            while tokens.count < 50 {
                if Int.random(in: 0..<2, using: &rng) == 0 {  // whole characters: two or three
                    let count = Int.random(in: 2...3, using: &rng)
                    tokens.insert((0..<count).flatMap { _ in characters.randomElement(using: &rng)! })
                    continue
                }
                let text = (0..<3).flatMap { _ in characters.randomElement(using: &rng)! }
                let start = Int.random(in: 0..<(text.count - 1), using: &rng)
                let length = Int.random(in: 2...min(6, text.count - start), using: &rng)
                tokens.insert(Array(text[start..<(start + length)]))
            }
            let vocabulary = try Support.vocabulary(extraBytes: tokens.shuffled(using: &rng))
            for _ in 0..<200 {
                var piece = [UInt8]()
                let target = Int.random(in: 4...40, using: &rng)
                while piece.count < target { piece += characters.randomElement(using: &rng)! }
                guard softBoundaries(piece, vocabulary.merger) != nil else { continue }
                if let merged = characterMerge(piece, vocabulary) {
                    #expect(merged == Support.referenceMerge(piece, vocabulary), "\(tokens) \(piece)")
                    taken += 1
                } else {
                    declined += 1
                }
            }
        }
        #expect(taken > 300)
        #expect(declined > 300)
    }
}
