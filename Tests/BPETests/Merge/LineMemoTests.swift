import Testing
@testable import BPE

/// The memo of runs of lines (`LineMemo`, `Encoding+Lines.swift`): it answers only for the bytes it
/// stored, forgets what the ring has come round to, and whatever it holds, repeated text gets the
/// readable reference's ids.
@Suite struct LineMemoTests {
    func append(_ memo: LineMemo, _ run: [UInt8], into output: inout [Rank]) -> Bool {
        run.withUnsafeBufferPointer { memo.append($0.baseAddress!, $0.count, hash: LineMemo.hash($0.baseAddress!, $0.count), into: &output) }
    }

    func store(_ memo: inout LineMemo, _ run: [UInt8], _ tokens: [Rank]) {
        run.withUnsafeBufferPointer { bytes in
            tokens.withUnsafeBufferPointer { memo.store(bytes.baseAddress!, bytes.count, hash: LineMemo.hash(bytes.baseAddress!, bytes.count), tokens: $0) }
        }
    }

    /// The worked example of `LineMemo`: a stored run answers with its tokens; a changed byte or a
    /// prefix does not; once more than the arena's capacity was stored after it, it is forgotten,
    /// while the runs stored last still answer.
    @Test func remembersRunsUntilTheRingComesRound() {
        var memo = LineMemo(size: .small)
        defer { memo.deallocate() }
        let run = Array("let x = 1;\n".utf8)
        store(&memo, run, [5, 9])
        var output: [Rank] = [1]
        #expect(append(memo, run, into: &output))
        #expect(output == [1, 5, 9])
        var changed = run
        changed[4] = UInt8(ascii: "y")
        #expect(!append(memo, changed, into: &output))
        #expect(!append(memo, Array(run.dropLast()), into: &output))
        #expect(output == [1, 5, 9])
        // 300 runs of 4,000 bytes and 1,000 tokens: 8 MB written, the 1 MiB arena many times over.
        var last = [UInt8]()
        for k in 0..<300 {
            last = Array(String(repeating: "\(k) ", count: 1000).utf8.prefix(4000))
            store(&memo, last, Array(repeating: Rank(k), count: 1000))
        }
        #expect(!append(memo, run, into: &output))
        output = []
        #expect(append(memo, last, into: &output))
        #expect(output == Array(repeating: 299, count: 1000))
    }

    /// A memo grown to the large size keeps the runs it held intact (two runs of a bucket of the
    /// small memo may have pushed out a third).
    @Test func grownKeepsWhatItHeld() {
        var memo = LineMemo(size: .small)
        let runs = (0..<500).map { Array("line \($0) of the text\n".utf8) }
        for (k, run) in runs.enumerated() { store(&memo, run, [Rank(k), Rank(k + 1)]) }
        var held = [Int]()
        for k in runs.indices {
            var output = [Rank]()
            if append(memo, runs[k], into: &output) { held.append(k) }
        }
        #expect(held.count > 400)
        let grown = memo.grown(to: .large)
        memo.deallocate()
        defer { grown.deallocate() }
        #expect(grown.size == .large)
        for k in held {
            var output = [Rank]()
            #expect(append(grown, runs[k], into: &output))
            #expect(output == [Rank(k), Rank(k + 1)])
        }
    }

    /// The ids of `text` by the pre-tokenizer and the reference merge, piece by piece (no cache).
    func reference(_ text: String, _ encoding: Encoding) throws -> [Rank] {
        let bytes = Array(text.utf8)
        return try encoding.preTokenizer.pieces(text).flatMap { Support.referenceMerge(Array(bytes[$0]), encoding.vocabulary) }
    }

    /// Lines of many shapes: words of several scripts, indented code, blank lines, `\r\n`, tabs,
    /// trailing spaces, lines that start with `/` or white space, digits, and a few lines over
    /// ``LineMemo/longRun`` bytes.
    func lines(_ count: Int, seed: UInt64) -> [String] {
        let letters = [Array("aeiounrstlmkpbdgzh"), Array("аеиоунрстлмкпбдгзж"), Array("ابتثجحخدذرزسشصضطظ"),
                       Array("कखगघचछजझटठडढणतथदध"), Array("กขคงจฉชซญดตถทนบปผ"), Array("日本語の文字列テスト")]
        var rng = SplitMix(state: seed)
        func word() -> String {
            let script = letters.randomElement(using: &rng)!
            return String((0..<Int.random(in: 1...9, using: &rng)).map { _ in script.randomElement(using: &rng)! })
        }
        func words(_ n: Int) -> String { (0..<n).map { _ in word() }.joined(separator: " ") }
        return (0..<count).map { _ in
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: return "\n"
            case 1: return "    " + word() + "(" + word() + ", \(Int.random(in: 0...99999, using: &rng)))\n"
            case 2: return "\t" + words(3) + ":\n"
            case 3: return words(4) + "\r\n"
            case 4: return "/" + words(2) + "\n"
            case 5: return words(3) + "  \n"
            case 6: return " " + words(2) + ".\n"
            case 7: return words(Int.random(in: 300...400, using: &rng)) + "\n"
            case 8: return "%s " + words(2) + " 🙂\n\n"
            default: return words(Int.random(in: 1...8, using: &rng)) + "\n"
            }
        }
    }

    /// Texts encoded again and again on one encoding (its caches learn across calls): the same
    /// text four times, then that text with new lines after it (a chat history that grows), then
    /// after a new first line (its runs shifted), then with a special token allowed inside, then on
    /// four threads. Every result equals the reference, and the memo came into use.
    @Test(arguments: ["o200k_base", "cl100k_base", "r50k_base"])
    func repeatedTextsMatchReference(name: String) throws {
        let shared = try Support.encoding(name)
        let encoding = try Encoding(name: name, vocabulary: shared.vocabulary, pattern: shared.preTokenizer.pattern,
                                    specialTokens: shared.specialTokens)
        let body = lines(4000, seed: 21).joined()
        #expect(body.utf8.count > 100_000)
        let expected = try reference(body, encoding)
        for call in 0..<4 { #expect(try encoding.encodeOrdinary(body) == expected, "call \(call)") }
        let cache = encoding.pieceCaches.borrow(textLength: 0)
        #expect(cache.linesInUse)
        #expect(cache.lineMemoSize == .large)
        encoding.pieceCaches.giveBack(cache)

        let longer = body + lines(300, seed: 22).joined()
        #expect(try encoding.encodeOrdinary(longer) == reference(longer, encoding))
        let shifted = "a new first line, then the text\n" + body
        #expect(try encoding.encodeOrdinary(shifted) == reference(shifted, encoding))
        let special = body + "<|endoftext|>" + body
        let withSpecial = try encoding.encode(special, allowedSpecial: .all)
        let endOfText = try #require(encoding.specialTokens["<|endoftext|>"])
        #expect(withSpecial == expected + [endOfText] + expected)
        #expect(try encoding.encodeBatch([body, longer, shifted, body], threads: 4)
                == [expected, try reference(longer, encoding), try reference(shifted, encoding), expected])
    }

    /// New text after repeated text takes the memo out of use: after the same text three times
    /// (in use), a text of new lines gets the reference's ids, and the next call goes back to
    /// sampling.
    @Test func newTextTakesTheMemoOutOfUse() throws {
        let shared = try Support.encoding("o200k_base")
        let encoding = try Encoding(name: "o200k_base", vocabulary: shared.vocabulary, pattern: shared.preTokenizer.pattern,
                                    specialTokens: shared.specialTokens)
        let body = lines(4000, seed: 31).joined()
        for _ in 0..<3 { _ = try encoding.encodeOrdinary(body) }
        var cache = encoding.pieceCaches.borrow(textLength: 0)
        #expect(cache.linesInUse)
        encoding.pieceCaches.giveBack(cache)
        let fresh = lines(8000, seed: 32).joined()
        #expect(try encoding.encodeOrdinary(fresh) == reference(fresh, encoding))
        cache = encoding.pieceCaches.borrow(textLength: 0)
        #expect(!cache.linesInUse)
        encoding.pieceCaches.giveBack(cache)
    }
}
