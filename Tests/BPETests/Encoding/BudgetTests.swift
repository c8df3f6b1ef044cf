import Testing
@testable import BPE

/// `prefixLength` is the longest grapheme-boundary prefix within the budget (checked against
/// trying every prefix), counting from stable pieces equals counting every prefix whole, and the
/// streaming calls equal the in-memory ones.
@Suite struct BudgetTests {
    /// Offsets of `text`'s grapheme cluster (`Character`) boundaries, 0 and the end included.
    static func graphemeBoundaries(_ text: String) -> [Int] {
        [0] + text.indices.dropFirst().map { text.utf8.distance(from: text.startIndex, to: $0) } + (text.isEmpty ? [] : [text.utf8.count])
    }

    @Test(arguments: ["o200k_base", "cl100k_base", "r50k_base"])
    func prefixIsTheLongestThatFits(_ name: String) throws {
        let encoding = try Support.encoding(name)
        for seed in 0..<300 {
            let text = ParallelTests.tricky(seed: 20_000 + UInt64(seed), length: 4 + seed % 12)
            let utf8 = Array(text.utf8)
            let boundaries = BudgetTests.graphemeBoundaries(text)
            let counts = try boundaries.map { try encoding.encodeOrdinary(String(decoding: utf8[..<$0], as: UTF8.self)).count }
            for budget in 0...(counts.last! + 1) {
                let expected = zip(boundaries, counts).filter { $0.1 <= budget }.map(\.0).max()!
                #expect(try encoding.prefixLength(text, maxTokens: budget) == expected, "\(name) \(text.debugDescription) \(budget)")
            }
        }
    }

    /// The example in `BudgetCut`'s documentation.
    @Test func workedExample() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = "Hello 👋🏽 world"
        #expect(try encoding.encodePieces(text).map(\.tokens.count) == [1, 4, 1])
        #expect(try encoding.encodeOrdinary("Hello 👋").count == 3)
        #expect(try encoding.prefixLength(text, maxTokens: 3) == "Hello ".utf8.count)
        #expect(try encoding.prefixLength(text, maxTokens: 5) == "Hello 👋🏽".utf8.count)
    }

    /// Cuts never split what users see as one character.
    @Test func cutsFallBetweenCharacters() throws {
        let encoding = try Support.encoding("o200k_base")
        for text in ["Hello 👋🏽 there", "family 👨‍👩‍👧‍👦 photo", "flags 🇫🇷🇩🇪🇯🇵 here", "cafe\u{301} noir", "क्षत्रिय नमस्ते", "1️⃣2️⃣3️⃣"] {
            let boundaries = Set(BudgetTests.graphemeBoundaries(text))
            // Chunks may cut inside a character only when it alone needs more than the budget.
            let widest = try text.map { try encoding.encodeOrdinary(String($0)).count }.max()!
            for budget in 1...(try encoding.encodeOrdinary(text).count) {
                let length = try encoding.prefixLength(text, maxTokens: budget)
                #expect(boundaries.contains(length), "\(text) \(budget) → \(length)")
                #expect(try encoding.encodeOrdinary(String(decoding: Array(text.utf8)[..<length], as: UTF8.self)).count <= budget)
                for range in try encoding.chunks(text, maxTokens: max(budget, widest), overlap: 1) {
                    #expect(boundaries.contains(range.lowerBound) && boundaries.contains(range.upperBound), "\(text) \(budget) \(range)")
                }
            }
        }
    }

    /// Counting a prefix from the pieces proved stable, and checking the chosen prefix whole, give
    /// what counting every candidate whole gives; a window that is not the whole text gives the
    /// same cut or asks for more.
    @Test(arguments: ["o200k_base", "cl100k_base", "r50k_base", "p50k_base", "llama3", "tekken", "qwen", "deepseek-v4"])
    func stablePiecesCountExactly(_ name: String) throws {
        let encoding = try Support.encoding(name)
        #expect((encoding.budgetCounting == .proven) == ["o200k_base", "cl100k_base", "r50k_base", "p50k_base", "llama3", "tekken"].contains(name))
        var texts = (0..<200).map { ParallelTests.tricky(seed: 40_000 + UInt64($0), length: 10 + $0 % 40) }
        texts += ["a" + String(repeating: " ", count: 300) + "b", "\n" + String(repeating: " ", count: 40) + "x y",
                  String(repeating: "ab ", count: 200), String(repeating: "9", count: 700), String(repeating: "\u{3000}", count: 50) + "日本",
                  "x" + String(repeating: "\u{301}", count: 400), "A" + String(repeating: "\t ", count: 30) + "!!\n\n\n/x"]
        for text in texts {
            let label = text.debugDescription
            var text = encoding.normalize(text)  // the cut is of normal text
            try text.withUTF8 { buffer in
                for budget in [1, 2, 3, 5, 8, 13, 40] {
                    let exact = try encoding.budgetCut(buffer, atEnd: true, maxTokens: budget, splitCharacters: true, counting: .exact)
                    for counting in [Encoding.BudgetCounting.proven, .verified] {
                        let cut = try encoding.budgetCut(buffer, atEnd: true, maxTokens: budget, splitCharacters: true, counting: counting)
                        #expect(cut == exact, "\(name) \(label) \(budget) \(counting)")
                    }
                    #expect(exact.map { $0.tokens == (try? encoding.encodeOrdinary(String(decoding: buffer[..<$0.length], as: UTF8.self))) } == true)
                    for width in stride(from: 1, to: buffer.count, by: max(1, buffer.count / 9)) where buffer[width] & 0xC0 != 0x80 {
                        if let partial = try encoding.budgetCut(UnsafeBufferPointer(rebasing: buffer[..<width]), atEnd: false,
                                                                maxTokens: budget, splitCharacters: true) {
                            #expect(partial == exact, "\(name) \(label) \(budget) window \(width)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: [0, 1, 3])
    func chunksFitAndCover(_ overlap: Int) throws {
        let encoding = try Support.encoding("o200k_base")
        let text = (0..<30).map { ParallelTests.tricky(seed: 30_000 + UInt64($0), length: 20) }.joined()
        let utf8 = Array(text.utf8)
        let boundaries = Set(BudgetTests.graphemeBoundaries(text))
        let ranges = try encoding.chunks(text, maxTokens: 16, overlap: overlap)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == utf8.count)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            if overlap == 0 { #expect(a.upperBound == b.lowerBound) } else { #expect(b.lowerBound <= a.upperBound && b.lowerBound > a.lowerBound) }
            if overlap > 0 {
                let repeated = try encoding.encodeOrdinary(String(decoding: utf8[b.lowerBound..<a.upperBound], as: UTF8.self)).count
                #expect(repeated <= overlap + 1)
            }
        }
        for range in ranges {
            #expect(boundaries.contains(range.lowerBound) && boundaries.contains(range.upperBound))
            #expect(try encoding.encodeOrdinary(String(decoding: utf8[range], as: UTF8.self)).count <= 16)
        }
    }

    /// One character of more tokens than the budget is cut between its scalars, each part within
    /// the budget where one scalar is.
    @Test func aCharacterOverTheBudgetIsCutBetweenScalars() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = "ok x" + String(repeating: "\u{301}\u{302}", count: 40) + " end"
        let utf8 = Array(text.utf8)
        let ranges = try encoding.chunks(text, maxTokens: 3)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == utf8.count)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        for range in ranges {
            #expect(utf8[range.lowerBound] & 0xC0 != 0x80)
            #expect(try encoding.encodeOrdinary(String(decoding: utf8[range], as: UTF8.self)).count <= 3)
        }
        #expect(try encoding.prefixLength(text, maxTokens: 1) == 2)  // "ok"; truncating never splits a character
    }

    /// Reading a few bytes at a time gives `chunks(_:)`'s chunks, with exact token counts.
    @Test(arguments: ["o200k_base", "cl100k_base", "qwen"])
    func streamingChunksEqualInMemory(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let text = (0..<60).map { ParallelTests.tricky(seed: 50_000 + UInt64($0), length: 30) }.joined() + "Cafe\u{301} 한국어 ᄒ\u{1161}\u{11AB}"
        let normal = Array(encoding.normalize(text).utf8)
        for (maxTokens, overlap) in [(1, 0), (7, 0), (20, 5), (100, 99)] {
            let expected = try encoding.chunks(text, maxTokens: maxTokens, overlap: overlap)
            for blockSize in [5, 64, 1 << 16] {
                var got = [TextChunk]()
                var reader = BudgetReader.reading(Array(text.utf8), encoding: encoding, blockSize: blockSize)
                try encoding.forEachChunk(&reader, maxTokens: maxTokens, overlap: overlap) { got.append($0) }
                #expect(got.map(\.range) == expected, "\(name) \(maxTokens) \(overlap) \(blockSize)")
                for chunk in got {
                    #expect(Array(chunk.text.utf8) == Array(normal[chunk.range]))
                    #expect(try chunk.tokenCount == encoding.encodeOrdinary(chunk.text).count)
                }
                var prefixReader = BudgetReader.reading(Array(text.utf8), encoding: encoding, blockSize: blockSize)
                #expect(try encoding.prefix(&prefixReader, maxTokens: maxTokens)
                        == Array(normal[..<(try encoding.prefixLength(text, maxTokens: maxTokens))]))
            }
        }
    }

    /// Truncating reads only as far as it must.
    @Test func truncatingReadsOnlyWhatItNeeds() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = Array(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 200_000).utf8)  // 9 MB, one line
        var reader = BudgetReader.reading(text, encoding: encoding, blockSize: 1 << 16)
        let prefix = try encoding.prefix(&reader, maxTokens: 10)
        #expect(String(decoding: prefix, as: UTF8.self) == "The quick brown fox jumps over the lazy dog.")
        #expect(reader.offset + reader.text.count <= 1 << 17)
    }

    /// Chunking streams: on a 9 MB single line, it never holds more than a few chunks' worth of
    /// input beyond the last chunk it gave out (cutting that whole line first would hold it all).
    @Test func chunkingHoldsLittleOfTheInput() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = Array(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 200_000).utf8)
        final class Progress { var read = 0, given = 0, ahead = 0, chunks = 0 }
        let progress = Progress()
        var reader = BudgetReader(encoding: encoding, path: "test") { buffer in
            let n = min(buffer.count, text.count - progress.read)
            buffer.copyBytes(from: text[progress.read..<(progress.read + n)])
            progress.read += n
            progress.ahead = max(progress.ahead, progress.read - progress.given)
            return n
        }
        try encoding.forEachChunk(&reader, maxTokens: 1000, overlap: 100) { chunk in
            progress.given = chunk.range.upperBound
            progress.chunks += 1
        }
        #expect(progress.given == text.count && progress.chunks > 2000)
        #expect(progress.ahead < 200_000, "held \(progress.ahead) bytes ahead of the chunks given out")
    }

    @Test func streamingRefusesInvalidUTF8() throws {
        let encoding = try Support.encoding("o200k_base")
        var reader = BudgetReader.reading(Array("good text ".utf8) + [0xFF] + Array(" more".utf8), encoding: encoding, blockSize: 4)
        #expect(throws: CountError.self) { try encoding.forEachChunk(&reader, maxTokens: 100, overlap: 0) { _ in } }
        var truncated = BudgetReader.reading(Array("ok ".utf8) + [0xE4, 0xB8], encoding: encoding, blockSize: 1)
        do {
            _ = try encoding.prefix(&truncated, maxTokens: 100)
            Issue.record("a text ending inside a character was accepted")
        } catch {
            #expect(error.description == "test: not valid UTF-8 at byte 3; truncating and chunking take text")
        }
    }
}

extension BudgetReader {
    /// A reader over `bytes`, `blockSize` bytes per read.
    static func reading(_ bytes: [UInt8], encoding: Encoding, blockSize: Int) -> BudgetReader {
        var position = 0
        return BudgetReader(encoding: encoding, path: "test") { buffer in
            let n = min(buffer.count, blockSize, bytes.count - position)
            buffer.copyBytes(from: bytes[position..<(position + n)])
            position += n
            return n
        }
    }
}
