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

    /// An encoding of `name`'s vocabulary, pattern and specials with a pool of its own: no other
    /// test shares its caches.
    func freshEncoding(_ name: String) throws -> (shared: Encoding, fresh: Encoding) {
        let encoding = try Support.encoding(name)
        return (encoding, try Encoding(name: name, vocabulary: encoding.vocabulary, pattern: encoding.preTokenizer.pattern,
                                       specialTokens: encoding.specialTokens))
    }

    /// Made-up Thai words of 12–20 letters (pieces of over 32 bytes: the long-piece memo's), each
    /// followed by a space, up to at least `bytes` bytes.
    func thaiWords(bytes: Int, seed: UInt64) -> String {
        let letters = Array("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ")
        var rng = SplitMix(state: seed)
        var text = ""
        while text.utf8.count < bytes {
            text += String((0..<Int.random(in: 12...20, using: &rng)).map { _ in letters.randomElement(using: &rng)! }) + " "
        }
        return text
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

    /// The worked example of `MergeMemo`'s windows: five pieces with one home keep four lines
    /// (the fifth replaces the first, picked by bits 12–13 of its hash), and a piece whose home is
    /// the next line takes the line after the first home's window.
    @Test func memoWindowKeepsFourPiecesOfOneHome() {
        let memo = MergeMemo(lineBits: MergeMemo.minimumLineBits)
        defer { memo.deallocate() }
        #expect(MergeMemo.ways == 4)
        // One home (the top ten bits), five tags (bits 16-31), bits 12-13 zero.
        let home: UInt64 = 0xABC0_0000_0000_0000
        let hashes = (0..<5).map { home | UInt64($0 + 1) << 17 }
        let nextHome = home + (1 << 54) | 9 << 17
        let pieces = (0..<6).map { Array("piece-\($0)".utf8) }
        func store(_ k: Int, _ hash: UInt64) {
            pieces[k].withUnsafeBufferPointer { piece in
                [Rank(100 + k), 7].withUnsafeBufferPointer { memo.store(piece.baseAddress!, piece.count, hash: hash, tokens: $0) }
            }
        }
        func answer(_ k: Int, _ hash: UInt64) -> [Rank]? {
            var output = [Rank]()
            let found = pieces[k].withUnsafeBufferPointer { memo.append($0.baseAddress!, $0.count, hash: hash, into: &output) }
            return found ? output : nil
        }
        for k in 0..<4 { store(k, hashes[k]) }
        #expect((0..<4).allSatisfy { answer($0, hashes[$0]) == [Rank(100 + $0), 7] })
        store(4, hashes[4])
        #expect(answer(0, hashes[0]) == nil)
        #expect((1..<5).allSatisfy { answer($0, hashes[$0]) == [Rank(100 + $0), 7] })
        store(5, nextHome)
        #expect(answer(5, nextHome) == [105, 7])
        #expect((1..<5).allSatisfy { answer($0, hashes[$0]) == [Rank(100 + $0), 7] })
        // Storing a piece again keeps one line for it: it still answers, and so do the others.
        store(2, hashes[2])
        #expect((1..<6).allSatisfy { answer($0, $0 == 5 ? nextHome : hashes[$0]) != nil })
        // A tag alone is not enough: another piece with piece 3's hash is not answered.
        #expect(answer(0, hashes[3]) == nil)
    }

    /// The long-piece memo keeps four pieces of one home slot, the fifth replacing one of them.
    @Test func longMemoWindowKeepsFourPiecesOfOneHome() {
        var memo = LongPieceMemo()
        defer { memo.deallocate() }
        let home: UInt64 = 0x4000_0000_0000_0000
        let pieces = (0..<5).map { Array(String(repeating: "ภาษาไทย\($0)", count: 3).utf8) }
        #expect(pieces.allSatisfy { $0.count > MergeMemo.maximumLength })
        let hashes = (0..<5).map { home | UInt64($0 + 1) << 20 }
        func answer(_ k: Int) -> Bool {
            var output = [Rank]()
            return pieces[k].withUnsafeBufferPointer { memo.append($0.baseAddress!, $0.count, hash: hashes[k], into: &output) }
        }
        for k in 0..<5 {
            pieces[k].withUnsafeBufferPointer { piece in
                [Rank(k)].withUnsafeBufferPointer { memo.store(piece.baseAddress!, piece.count, hash: hashes[k], tokens: $0) }
            }
        }
        #expect((0..<5).filter(answer) == [1, 2, 3, 4])
    }

    /// The long-piece memo answers only for the bytes it stored, and forgets a record once the
    /// ring has come round to it (while a record written after it still answers).
    @Test func longMemoComparesBytesAndForgetsOverwritten() {
        var memo = LongPieceMemo()
        defer { memo.deallocate() }
        let stored = Array(String(repeating: "สวัสดี", count: 4).utf8), other = Array(String(repeating: "สวัสดา", count: 4).utf8)
        #expect(stored.count > MergeMemo.maximumLength && stored.count == other.count)
        let hash: UInt64 = 0x0123_4567_89AB_CDEF
        var output: [Rank] = [7]
        stored.withUnsafeBufferPointer { piece in
            [Rank(5), 9, 11].withUnsafeBufferPointer { memo.store(piece.baseAddress!, piece.count, hash: hash, tokens: $0) }
            #expect(memo.append(piece.baseAddress!, piece.count, hash: hash, into: &output))
            #expect(!memo.append(piece.baseAddress!, piece.count - 1, hash: hash, into: &output))
        }
        other.withUnsafeBufferPointer { piece in
            #expect(!memo.append(piece.baseAddress!, piece.count, hash: hash, into: &output))
        }
        #expect(output == [7, 5, 9, 11])
        // Fill the ring with other pieces (other slots: hashes differ in the top bits).
        let filler = [UInt8](repeating: 0x61, count: LongPieceMemo.maximumLength)
        let last: UInt64 = 0xFEDC_BA98_7654_3210
        filler.withUnsafeBufferPointer { piece in
            for k in 0..<(2 * LongPieceMemo.ringBytes / filler.count) {
                let h = k % 2 == 0 ? 0x8000_0000_0000_0000 | UInt64(k) : last
                [Rank(1)].withUnsafeBufferPointer { memo.store(piece.baseAddress!, piece.count, hash: h, tokens: $0) }
            }
            var tokens = [Rank]()
            #expect(memo.append(piece.baseAddress!, piece.count, hash: last, into: &tokens))
            #expect(tokens == [1])
        }
        stored.withUnsafeBufferPointer { piece in
            #expect(memo.mayHold(hash))  // the slot still names it, but its record is gone
            #expect(!memo.append(piece.baseAddress!, piece.count, hash: hash, into: &output))
        }
    }

    /// A long word at the same byte offset in two texts whose earlier pieces have different token
    /// counts: the second call must not take the first call's entry (which points into the first
    /// call's output) for its own.
    @Test func laterCallsDoNotReuseEntries() throws {
        let encoding = try Support.encoding("o200k_base")
        let word = " pneumonoultramicroscopicsilicovolcanoconiosis"  // one piece of 46 bytes, merged
        // Over 4 KiB, so that the texts go through a piece cache (PieceCachePool.minimumText).
        let first = String(repeating: "ab ", count: 1400) + word
        let second = String(repeating: "a,b", count: 1400) + word
        #expect(first.utf8.count >= PieceCachePool.minimumText)
        #expect(first.utf8.count == second.utf8.count)
        for text in [first, second, first, second] {
            #expect(try encoding.encodeOrdinary(text) == reference(text, encoding))
        }
    }

    /// The memo follows repetition within one call: a text whose 20,000 made-up words come twice
    /// (more than the per-call entries hold; over ``PieceCache/memoGrowth`` bytes, so the memo has
    /// its full size) brings it into full use by the second time, since its samples are chosen by
    /// hash and so met again; the next call, of 20,000 new words, starts in
    /// full use (the last call hit) and goes back to samples after a window that hardly hits. Both
    /// give the reference's ids.
    @Test func memoFollowsRepetitionWithinACall() throws {
        let encoding = try Support.encoding("o200k_base")
        var rng = SplitMix(state: 11)
        var seen = Set<String>()
        func newWords(_ count: Int) -> [String] {
            var words = [String]()
            while words.count < count {
                let word = String((0..<Int.random(in: 6...10, using: &rng)).map { _ in "aeiounrstlmkpbdgzhvwy".randomElement(using: &rng)! })
                if seen.insert(word).inserted { words.append(word) }
            }
            return words
        }
        let cache = PieceCache()
        defer { cache.deallocate() }
        func encodeCall(_ text: String) throws -> [Rank] {
            let bytes = Array(text.utf8)
            cache.startCall(textLength: bytes.count)
            var output = [Rank]()
            let pieces = try encoding.preTokenizer.pieces(text)
            bytes.withUnsafeBufferPointer { buffer in
                for piece in pieces {
                    cache.encode(buffer.baseAddress!, start: piece.lowerBound, length: piece.count, merger: encoding.merger, into: &output)
                }
            }
            return output
        }
        let first = newWords(20_000)
        let twice = (first + first).map { " " + $0 }.joined()
        #expect(twice.utf8.count >= PieceCache.memoGrowth)
        #expect(try encodeCall(twice) == reference(twice, encoding))
        #expect(cache.memoStatistics.inUse)
        let fresh = newWords(20_000).map { " " + $0 }.joined()
        #expect(try encodeCall(fresh) == reference(fresh, encoding))
        #expect(!cache.memoStatistics.inUse)
    }

    /// A text of 1–4 KiB goes through a piece cache and its memo in full: a Thai text of about
    /// 2 KB, whose runs without spaces are pieces of over 32 bytes, leaves them in the long-piece
    /// memo of the cache it was lent, and encoding it again gives the reference's ids.
    @Test func smallTextsUseTheMemo() throws {
        let (encoding, fresh) = try freshEncoding("o200k_base")
        let text = thaiWords(bytes: 2000, seed: 3)
        #expect(text.utf8.count >= PieceCachePool.minimumText && text.utf8.count < PieceCache.smallText)
        let expected = try reference(text, encoding)
        for _ in 0..<3 { #expect(try fresh.encodeOrdinary(text) == expected) }
        let cache = fresh.pieceCaches.borrow(textLength: 0)
        #expect(cache.hasLongMemo)
        fresh.pieceCaches.giveBack(cache)
    }

    /// A text under 1 KiB met again is lent a cache: one call in sixteen is (its memo keeps the
    /// call's merged pieces), the next such call finds them, and from then on every call of that
    /// text borrows one. A Thai text of about 600 bytes, whose runs without spaces are pieces of
    /// over 32 bytes, ends in the long-piece memo; all 40 calls give the reference's ids, and so
    /// do 64 more on four threads.
    @Test func shortTextsMetAgainBorrowACache() throws {
        let (encoding, fresh) = try freshEncoding("o200k_base")
        let text = thaiWords(bytes: 600, seed: 5)
        #expect(text.utf8.count < PieceCachePool.minimumText)
        let expected = try reference(text, encoding)
        for call in 0..<40 { #expect(try fresh.encodeOrdinary(text) == expected, "call \(call)") }
        #expect(fresh.pieceCaches.smallTextsRepeat)
        let cache = fresh.pieceCaches.borrow(textLength: 0)
        #expect(cache.hasLongMemo)
        fresh.pieceCaches.giveBack(cache)
        // Four threads at once, each call lent its own cache.
        #expect(try fresh.encodeBatch(Array(repeating: text, count: 64), threads: 4) == Array(repeating: expected, count: 64))
    }

    /// New texts under 1 KiB go without a cache but for the samples (one call in sixteen), whose
    /// memo lookups find nothing: 64 texts of words met once each give the reference's ids, the
    /// samples made lookups, and short texts are not taken to repeat.
    @Test func newShortTextsGoWithoutACache() throws {
        let (encoding, fresh) = try freshEncoding("o200k_base")
        var rng = SplitMix(state: 9)
        var seen = Set<String>()
        for call in 0..<64 {
            var text = ""
            while text.utf8.count < 300 {
                let word = String((0..<Int.random(in: 6...10, using: &rng)).map { _ in "aeiounrstlmkpbdgzhvwyаеиоунрст".randomElement(using: &rng)! })
                if seen.insert(word).inserted { text += " " + word }
            }
            #expect(try fresh.encodeOrdinary(text) == reference(text, encoding), "call \(call)")
        }
        let statistics = fresh.pieceCaches.smallTextStatistics
        #expect(statistics.lookups >= 16)
        #expect(statistics.hits * 4 < statistics.lookups)
        #expect(!fresh.pieceCaches.smallTextsRepeat)
    }

    /// Texts one after the other on one encoding (its caches learn across calls), three times over
    /// (the memo comes into full use once its sampled lookups hit), then on four threads at once:
    /// every result equals the reference, and the memo and the hot table's merged pieces answered
    /// some of them.
    @Test(arguments: ["o200k_base", "cl100k_base"])
    func textsAcrossCallsMatchReference(name: String) throws {
        let encoding = try Support.encoding(name)
        // Made-up words (most need merging) from several scripts, with marks, ZWNJ and emoji; the
        // texts draw from one list of them, so words recur within a text and across texts.
        let letters = [Array("aeiounrstlmkpbdgzh"), Array("аеиоунрстлмкпбдгзж"), Array("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
                       Array("कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह"), Array("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ")]
        let extras = ["\u{301}", "\u{200C}", "ें", "ั", "🙂", "👍🏽", "%s", "'s", "12"]
        var rng = SplitMix(state: 7)
        var words = [String]()
        for _ in 0..<3000 {
            let script = letters.randomElement(using: &rng)!
            // Some words of 12–40 letters: pieces over 32 bytes, for the long-piece memo.
            let length = Int.random(in: 0..<8, using: &rng) == 0 ? Int.random(in: 12...40, using: &rng) : Int.random(in: 3...9, using: &rng)
            var word = String((0..<length).map { _ in script.randomElement(using: &rng)! })
            if Int.random(in: 0..<4, using: &rng) == 0 { word += extras.randomElement(using: &rng)! }
            words.append(word)
        }
        var texts = [String]()
        for _ in 0..<40 {
            var text = ""
            let target = Int.random(in: PieceCachePool.minimumText...(3 * PieceCachePool.minimumText), using: &rng)
            while text.utf8.count < target {
                text += words.randomElement(using: &rng)! + [" ", " ", "\n", ", ", "  "].randomElement(using: &rng)!
            }
            texts.append(text)
        }
        let expected = try texts.map { try reference($0, encoding) }
        // A fresh encoding of the same vocabulary: its pool starts empty, and no other test shares it.
        let fresh = try freshEncoding(name).fresh
        for round in 0..<3 {
            for (text, ids) in zip(texts, expected) {
                #expect(try fresh.encodeOrdinary(text) == ids, "round \(round)")
            }
        }
        let cache = fresh.pieceCaches.borrow(textLength: 0)
        #expect(cache.memoStatistics.inUse)
        #expect(cache.memoStatistics.recentHits > 0)
        #expect(cache.hasLongMemo)
        #expect(cache.hotMergedPieces > 100)
        fresh.pieceCaches.giveBack(cache)
        #expect(try fresh.encodeBatch(texts, threads: 4) == expected)
    }
}
