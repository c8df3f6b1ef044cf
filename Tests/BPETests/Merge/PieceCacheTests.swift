import Testing
@testable import BPE

/// The piece caches, which an encoding keeps across calls (`PieceCache`, `MergeMemo`,
/// `PieceCachePool`): whatever they hold, the ids are those of the readable reference.
@Suite struct PieceCacheTests {
    /// The ids of `text` by the pre-tokenizer and the reference merge, piece by piece (no cache).
    func reference(_ text: String, _ encoding: Encoding) throws -> [Rank] {
        let bytes = Array(text.utf8)
        return try encoding.preTokenizer.pieces(text).flatMap { Support.referenceMerge(Array(bytes[$0]), encoding.vocabulary) }
    }

    /// A memo answers only for the bytes it stored, whatever hash the caller gives.
    @Test func memoComparesBytes() {
        let memo = MergeMemo(lineBits: MergeMemo.minimumLineBits)
        defer { memo.deallocate() }
        let stored: [UInt8] = Array("tokenizer".utf8), other: [UInt8] = Array("tokenizes".utf8)
        let hash: UInt64 = 0x1234_5678_9ABC_DEF0
        var output: [Rank] = [7]
        stored.withUnsafeBufferPointer { piece in
            [Rank(5), 9, 11].withUnsafeBufferPointer { memo.store(piece.baseAddress!, piece.count, hash: hash, tokens: $0) }
            #expect(memo.append(piece.baseAddress!, piece.count, hash: hash, into: &output))
        }
        #expect(output == [7, 5, 9, 11])
        other.withUnsafeBufferPointer { piece in
            #expect(!memo.append(piece.baseAddress!, piece.count, hash: hash, into: &output))
        }
        stored.withUnsafeBufferPointer { piece in
            #expect(!memo.append(piece.baseAddress!, piece.count - 1, hash: hash, into: &output))
        }
        #expect(output == [7, 5, 9, 11])
    }

    /// A long word at the same byte offset in two texts whose earlier pieces have different token
    /// counts: the second call must not take the first call's entry (which points into the first
    /// call's output) for its own.
    @Test func laterCallsDoNotReuseEntries() throws {
        let encoding = try Support.encoding("o200k_base")
        let word = " pneumonoultramicroscopicsilicovolcanoconiosis"  // one piece of 46 bytes, merged
        let first = String(repeating: "ab ", count: 100) + word
        let second = String(repeating: "a,b", count: 100) + word
        #expect(first.utf8.count == second.utf8.count)
        for text in [first, second, first, second] {
            #expect(try encoding.encodeOrdinary(text) == reference(text, encoding))
        }
    }

    /// Many texts one after the other on one encoding (its caches learn across calls), then all of
    /// them again, then on four threads at once: every result equals the reference.
    @Test(arguments: ["o200k_base", "cl100k_base"])
    func textsAcrossCallsMatchReference(name: String) throws {
        let encoding = try Support.encoding(name)
        let words = ["tokenization", "Übersetzungen", "переводчики", "ترجمة", "अनुवादक", "翻译工具", "とうきょう",
                     "번역기", "การแปล", "%s", "--verbose", "can't", "12345", "🙂👍🏽", "e\u{301}te\u{301}", "ZWNJ\u{200C}x"]
        var rng = SplitMix(state: 7)
        var texts = [String]()
        for _ in 0..<300 {
            var text = ""
            while text.utf8.count < Int.random(in: 200...1200, using: &rng) {
                text += words.randomElement(using: &rng)! + [" ", " ", "\n", ", ", "  "].randomElement(using: &rng)!
            }
            texts.append(text)
        }
        let expected = try texts.map { try reference($0, encoding) }
        for round in 0..<2 {
            for (text, ids) in zip(texts, expected) {
                #expect(try encoding.encodeOrdinary(text) == ids, "round \(round)")
            }
        }
        #expect(try encoding.encodeBatch(texts, threads: 4) == expected)
    }
}
