import Testing
@testable import BPE

@Suite struct BytePairMergeTests {
    /// The worked example in BytePairMerger.swift's documentation.
    @Test func workedExample() throws {
        // Ranks 256, 257, 258 play the roles of 0, 1, 2 in the documentation.
        let vocabulary = try Support.vocabulary(extra: ["ab", "bc", "abc"])
        var output = [Rank]()
        Array("abcbc".utf8).withUnsafeBufferPointer { vocabulary.merger.appendTokens($0.baseAddress!, $0.count, into: &output) }
        #expect(output == [258, 257])
    }

    @Test func lowestRankFirstAndLeftmostOnTies() throws {
        let vocabulary = try Support.vocabulary(extra: ["aa", "aaa"])
        var output = [Rank]()
        Array("aaaaa".utf8).withUnsafeBufferPointer { vocabulary.merger.appendTokens($0.baseAddress!, $0.count, into: &output) }
        // aa|aa|a, then "aaa" is not formed from aa|a? pairs: aa+aa = "aaaa" (no), aa+a = "aaa" (258) → aa|aaa
        #expect(output == Support.referenceMerge(Array("aaaaa".utf8), vocabulary))
        #expect(output == [256, 257])
    }

    /// The stack-buffer loop and the heap agree with each other and with the readable oracle,
    /// on random pieces over a small alphabet with many overlapping tokens.
    @Test func shortAndLongMergeAgreeWithOracle() throws {
        var rng = SplitMix(state: 7)
        let alphabet = Array("abcd".utf8)
        var tokens = Set<String>()
        while tokens.count < 120 {
            let n = Int.random(in: 2...6, using: &rng)
            tokens.insert(String(decoding: (0..<n).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self))
        }
        let vocabulary = try Support.vocabulary(extra: tokens.sorted { ($0.count, $0) < ($1.count, $1) })
        for _ in 0..<400 {
            let n = Int.random(in: 2...300, using: &rng)
            let piece = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            var short = [Rank](), long = [Rank]()
            piece.withUnsafeBufferPointer { buffer in
                vocabulary.merger.mergeShortPiece(buffer.baseAddress!, n, into: &short)
                vocabulary.merger.mergeWithHeap(buffer.baseAddress!, n, into: &long)
            }
            let expected = Support.referenceMerge(piece, vocabulary)
            #expect(short == expected)
            #expect(long == expected)
        }
    }

    /// Every piece of one to five bytes over a three-letter alphabet, in vocabularies whose tokens
    /// come in random rank order (so some are unreachable by merges and pairs tie or invert):
    /// the unrolled one-to-three-byte merge and the loop equal the oracle.
    @Test func tinyPiecesMatchOracle() throws {
        var rng = SplitMix(state: 11)
        let alphabet = Array("abc".utf8)
        var pieces: [[UInt8]] = [[]]
        var all = [[UInt8]]()
        for _ in 1...5 {
            pieces = pieces.flatMap { prefix in alphabet.map { prefix + [$0] } }
            all += pieces
        }
        for _ in 0..<20 {
            let tokens = all.filter { $0.count >= 2 && $0.count <= 3 && Int.random(in: 0..<3, using: &rng) == 0 }
                .map { String(decoding: $0, as: UTF8.self) }.shuffled(using: &rng)
            let vocabulary = try Support.vocabulary(extra: tokens)
            for piece in all {
                var merged = [Rank]()
                piece.withUnsafeBufferPointer { vocabulary.merger.mergeShortPiece($0.baseAddress!, piece.count, into: &merged) }
                #expect(merged == Support.referenceMerge(piece, vocabulary), "\(tokens) \(String(decoding: piece, as: UTF8.self))")
            }
        }
    }

    /// One letter repeated a million times is one piece; the heap keeps it O(n log n).
    @Test func millionRepeatedLetters() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = String(repeating: "a", count: 1_000_000)
        let ids = try encoding.encodeOrdinary(text)
        #expect(try encoding.decode(ids) == text)
        #expect(ids.count < 200_000)
    }
}
