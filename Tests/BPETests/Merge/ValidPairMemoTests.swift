import Testing
@testable import BPE

/// The memo of the backtracking search's pair tests, and the search on a piece cache's short pieces
/// (``BytePairMerger/mergePiece(_:_:search:validPairs:into:)``), which uses it.
@Suite struct ValidPairMemoTests {
    /// A slot answers for its own pair only, remembers both answers, and a pair that takes its slot
    /// replaces it.
    @Test func remembersTheAnswerForExactlyItsPair() {
        let memo = ValidPairMemo(slots: 2)
        defer { memo.deallocate() }
        var tests = 0
        func ask(_ left: Rank, _ right: Rank, _ answer: Bool) -> Bool {
            memo.isValidPair(left, right) {
                tests += 1
                return answer
            }
        }
        #expect(ask(5, 7, false) == false)
        #expect(ask(5, 7, true) == false)  // remembered: not tested again
        #expect(tests == 1)
        #expect(ask(7, 5, true) == true)  // another pair (the order counts)
        #expect(tests == 2)
        // Two slots: of any three pairs, two share a slot, and each answer stays its own pair's.
        let pairs: [(Rank, Rank)] = [(1, 2), (3, 4), (100_000, 200_000), (2, 1)]
        for round in 0..<3 {
            for (k, pair) in pairs.enumerated() {
                #expect(ask(pair.0, pair.1, k % 2 == 0) == (k % 2 == 0), "round \(round), pair \(k)")
            }
        }
        #expect(tests > 2 + pairs.count)  // some were pushed out and tested again
    }

    @Test func picksTheSearchForAlphabetsNotForCJKOrLatin() {
        func prefers(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { BytePairMerger.prefersSearch($0.baseAddress!, $0.count) }
        }
        #expect(prefers(" приветствие"))
        #expect(prefers(" கோப்புகளை"))
        #expect(prefers("ภาษาไทยไม่มี"))
        #expect(prefers(" Ελληνικά"))
        #expect(prefers("“привет"))  // punctuation first: the last character decides
        #expect(!prefers(" Einstellungsmenü"))  // mostly ASCII
        #expect(!prefers(" ファイルを開く"))  // kana
        #expect(!prefers("“中文内容"))  // CJK last
        #expect(!prefers("한국어입니다"))  // Hangul
        #expect(!prefers("😀😀😀"))  // emoji
        #expect(!prefers(" приветствие1"))  // ends in ASCII
    }

    /// Pieces of 8 to 150 bytes in alphabets and abugidas (and some Latin, CJK and stray bytes),
    /// through the path a piece cache takes once the index is loaded (the search for those over
    /// 48 bytes it picks), with one memo for all of them (and one of two slots, which keeps
    /// replacing answers): the readable oracle's tokens.
    @Test(arguments: BacktrackingTests.vocabularies) func cachedPiecesMatchOracle(name: String) throws {
        let table = try Support.encoding(name).vocabulary.table
        let merger = BytePairMerger(table: table)
        let vocabulary = Vocabulary(table: table, sha256: "")
        let index = merger.backtrackingIndex
        let memo = ValidPairMemo(slots: 4096), tiny = ValidPairMemo(slots: 2)
        defer { memo.deallocate(); tiny.deallocate() }
        let scripts = ["абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
                       "அஆஇஈஉஊஎஏஐஒஓஔகஙசஞடணதநபமயரலவழளறன்ாிீுூெேைொோௌ", "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह्ािीुूेैोौंः",
                       "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋็์", "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                       "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "éèêëàâäôöûüçñ",
                       "的一是不了人我在有他这为"].map { Array($0.unicodeScalars) }
        var rng = SplitMix(state: 23)
        var searched = 0, checked = 0, long = 0
        for round in 0..<3_000 {
            let script = scripts[round % scripts.count]
            var text = round % 3 == 0 ? " " : ""
            let length = round % 4 == 0 ? Int.random(in: 8...48, using: &rng) : Int.random(in: 49...150, using: &rng)
            while text.utf8.count < length {
                text.unicodeScalars.append(round % 17 == 5 && Bool.random(using: &rng) ? "e" : script.randomElement(using: &rng)!)
            }
            var piece = Array(text.utf8)
            if round % 23 == 7 { piece[Int.random(in: 0..<piece.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng) }
            if round % 5 == 1 { piece.removeLast() }  // a character cut in two at the end, at times
            guard piece.count >= 8,
                  piece.withUnsafeBufferPointer({ table.rank($0.baseAddress!, $0.count) }) == RankTable.noRank else { continue }
            if piece.count > BytePairMerger.shortPieceLimit {
                long += 1
                if piece.withUnsafeBufferPointer({ BytePairMerger.prefersSearch($0.baseAddress!, $0.count) }) { searched += 1 }
            }
            var viaMemo = [Rank](), viaTiny = [Rank]()
            piece.withUnsafeBufferPointer {
                merger.mergePiece($0.baseAddress!, $0.count, search: index, validPairs: memo, into: &viaMemo)
                merger.mergePiece($0.baseAddress!, $0.count, search: index, validPairs: tiny, into: &viaTiny)
            }
            let expected = Support.referenceMerge(piece, vocabulary)
            #expect(viaMemo == expected, "\(name): \(piece)")
            #expect(viaTiny == expected, "\(name): \(piece)")
            checked += 1
        }
        #expect(checked > 2_500)
        #expect(long > 2_000 && searched * 2 > long)  // most long pieces took the search
    }
}
