import Testing
@testable import BPE

@Suite struct JoinablePairsTests {
    static let vocabularies = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"]

    /// Every one of the 65,536 pairs: in the set exactly when some token contains it.
    @Test(arguments: vocabularies) func matchesDefinition(name: String) throws {
        let table = try Support.encoding(name).vocabulary.table
        let merger = BytePairMerger(table: table)
        var inSomeToken = Set<Int>()
        for rank in 0..<table.rankLimit {
            table.withBytes(of: Rank(rank)) { token in
                for i in token.indices.dropFirst() { inSomeToken.insert(Int(token[i - 1]) << 8 | Int(token[i])) }
            }
        }
        let pairs = merger.joinablePairs
        for pair in 0..<65536 {
            #expect(pairs.contains(UInt8(pair >> 8), UInt8(pair & 0xFF)) == inSomeToken.contains(pair))
        }
        #expect(inSomeToken.count > 1000 && inSomeToken.count < 65536)  // both answers occur
    }

    /// A run between cuts that spells a token the merges never reach ("aadb": no pair inside it is
    /// a token) is merged byte by byte, not taken whole: the whole-token shortcut is tiktoken's
    /// rule for whole pieces only. (Found by the `merge` fuzz target.)
    @Test func runSpellingAnUnreachableTokenIsMerged() throws {
        let vocabulary = try Support.vocabulary(extra: ["ab", "ba", "aba", "bab", "aadb"])
        let piece = Array((String(repeating: "ab", count: 21) + "acbabcaadbdabb" + String(repeating: "ab", count: 13)).utf8)
        var cut = [Rank](), heap = [Rank]()
        piece.withUnsafeBufferPointer { buffer in
            vocabulary.merger.mergeLongPiece(buffer.baseAddress!, buffer.count, into: &cut)
            vocabulary.merger.mergeWithHeap(buffer.baseAddress!, buffer.count, into: &heap)
        }
        let expected = Support.referenceMerge(piece, vocabulary)
        #expect(cut == expected)
        #expect(heap == expected)
        #expect(!expected.contains(260))  // "aadb" never forms
    }

    /// Long pieces with many cut places — random bytes, scripts run together without spaces,
    /// tokens glued at unjoinable pairs — merge as the uncut heap merge and as the oracle.
    @Test(arguments: vocabularies) func cutPiecesMatchUncutMerge(name: String) throws {
        let vocabulary = try Support.encoding(name).vocabulary
        let table = vocabulary.table
        let merger = BytePairMerger(table: table)
        var rng = SplitMix(state: 11)
        let scripts = ["Жизнь", "的一是不了", "ภาษาไทย", "مرحبا", "😀👍🏽", "abc", "\u{301}\u{200C}"].map { Array($0.utf8) }
        var cutPieces = 0
        for round in 0..<600 {
            let n = [49, 50, 64, 200, 1000][round % 5]
            var piece = [UInt8]()
            while piece.count < n {
                if round % 2 == 0 {
                    piece.append(UInt8.random(in: 0...255, using: &rng))
                } else {
                    piece += scripts.randomElement(using: &rng)!
                }
            }
            let cuts = (1..<piece.count).filter { !merger.joinablePairs.contains(piece[$0 - 1], piece[$0]) }.count
            if cuts > 0 { cutPieces += 1 }
            var heap = [Rank](), cut = [Rank]()
            piece.withUnsafeBufferPointer { buffer in
                merger.mergeWithHeap(buffer.baseAddress!, buffer.count, into: &heap)
                merger.mergeLongPiece(buffer.baseAddress!, buffer.count, into: &cut)
            }
            #expect(cut == heap, "\(name), round \(round), \(piece.count) bytes, \(cuts) cuts")
            if round % 25 == 0 { #expect(cut == Support.referenceMerge(piece, vocabulary)) }
        }
        #expect(cutPieces > 300)
    }
}
