import Synchronization
import Foundation
import Testing
@testable import BPE

/// The safe-cut rule, parallel encoding of one text, and batches: always the sequential ids.
@Suite struct ParallelTests {
    static let encodings = ["o200k_base", "cl100k_base", "r50k_base", "llama3", "qwen", "qwen3.5", "tekken"]

    /// Text with many `…x\nY…` places next to every kind of neighbour the patterns care about.
    static func tricky(seed: UInt64, length: Int) -> String {
        let parts = ["\n", "\n", "\n\n", " \n", "\r\n", "a", "Z", "q", "word", "Hello", ".", "!", "/", "'s", " ", "  ", "\t",
                     "1", "123", "中文", "é", "\u{301}", "👍", "<|endoftext|>", "ǅ", "\u{A0}", "x\n", "\nA", ":\nb",
                     "<", ">", "#", "}", ";", "(", "'", "-", "\n<", "\n#", "\n}", "\n/", "\n'", "\n1", ">\n/", ");\n}", "\t\n",
                     "Да", "。", "\n    ", "\n\t", "\n \n", "\u{3000}", "\u{85}", "\u{200D}", "\u{93F}", "١٢", "»"]
        var rng = SplitMix(state: seed)
        return (0..<length).map { _ in parts.randomElement(using: &rng)! }.joined()
    }

    @Test(arguments: encodings)
    func cuttingAtEverySafePlaceKeepsTheIDs(_ name: String) throws {
        let encoding = try Support.encoding(name)
        var texts = (0..<1000).map { Self.tricky(seed: UInt64($0), length: 60) }
        let cases = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        texts += cases.filter { $0["mode"] as! String == "text" }
            .map { String(decoding: Data(base64Encoded: $0["input"] as! String)!, as: UTF8.self) }
        var checkedCuts = 0
        for text in texts {
            let whole = try encoding.encodeOrdinary(text)
            let bytes = Array(text.utf8)
            let cuts = bytes.withUnsafeBufferPointer { encoding.preTokenizer.safeCuts($0, every: 1) }
            guard !cuts.isEmpty else { continue }
            checkedCuts += cuts.count
            var joined = [Rank]()
            for (start, end) in zip([0] + cuts, cuts + [bytes.count]) {
                joined += try encoding.encodeOrdinary(String(decoding: bytes[start..<end], as: UTF8.self))
            }
            #expect(joined == whole, "\(name): \(text.debugDescription.prefix(200))")
        }
        #expect(checkedCuts > 2_000)
    }

    /// Every visible ASCII character before and after a `\n`, in a few surroundings: where the
    /// rule allows a cut, the two halves encode to the whole's ids; and the one exclusion matters
    /// (o200k takes `.\n/` as one piece).
    @Test(arguments: encodings)
    func everyVisibleASCIIPairAroundANewline(_ name: String) throws {
        let encoding = try Support.encoding(name)
        var checked = 0
        for x in UInt8(0x21)...0x7E {
            for y in UInt8(0x21)...0x7E {
                for (before, after) in [("", ""), ("a", "s"), (" 1", "1 "), ("'", "/\n"), ("中", " 中")] {
                    let left = Array(before.utf8) + [x, 0x0A], right = [y] + Array(after.utf8)
                    let whole = left + right
                    guard whole.withUnsafeBufferPointer({ encoding.preTokenizer.isSafeCut($0, left.count) }) else { continue }
                    #expect(try encoding.encode(bytes: left, disallowedSpecial: .none)
                            + encoding.encode(bytes: right, disallowedSpecial: .none)
                            == encoding.encode(bytes: whole, disallowedSpecial: .none),
                            "\(name): \(String(decoding: whole, as: UTF8.self).debugDescription)")
                    checked += 1
                }
            }
        }
        #expect(checked == 94 * 93 * 5)
        if name == "o200k_base" {
            #expect(try encoding.encodeOrdinary(".\n/").count == 1)
        }
    }

    /// Characters of many scripts and classes on both sides of a `\n` (letters, marks, digits,
    /// punctuation, symbols, joiners, controls, and white space that must not be cut at), in a
    /// few surroundings: where the rule allows a cut, the halves encode to the whole's ids; white
    /// space on either side and malformed UTF-8 never allow one.
    @Test(arguments: encodings)
    func charactersOfEveryScriptAroundANewline(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let visible = ["a", "Z", "7", ".", "/", "'", "Я", "д", "中", "の", "한", "ก", "ั", "ا", "ب", "ह", "\u{93F}", "\u{301}",
                       "١", "１", "。", "»", "¿", "—", "€", "👍", "🏽", "\u{200D}", "\u{200C}", "\u{1}", "\u{7F}", "ǅ"]
        let space = ["\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", " ", "\t", "\r", "\n"]
        var (checked, cutsBeyondASCII) = (0, 0)
        for x in visible + space {
            for y in visible + space {
                for (before, after) in [("", ""), ("a", "s"), ("'", "'s"), ("中", " x"), ("1", "12"), (" ", "\u{301}")] {
                    let left = Array((before + x + "\n").utf8), right = Array((y + after).utf8)
                    let whole = left + right
                    let cut = whole.withUnsafeBufferPointer { encoding.preTokenizer.isSafeCut($0, left.count) }
                    let indent = (y == " " || y == "\t") && name != "r50k_base"  // see indentsAfterANewline
                    if space.contains(x) || (space.contains(y) && !indent) || y == "/" {
                        #expect(!cut, "\(name): \(String(decoding: whole, as: UTF8.self).debugDescription)")
                    } else if !space.contains(y) {
                        #expect(cut, "\(name): \(String(decoding: whole, as: UTF8.self).debugDescription)")
                    }
                    guard cut else { continue }
                    #expect(try encoding.encode(bytes: left, disallowedSpecial: .none)
                            + encoding.encode(bytes: right, disallowedSpecial: .none)
                            == encoding.encode(bytes: whole, disallowedSpecial: .none),
                            "\(name): \(String(decoding: whole, as: UTF8.self).debugDescription)")
                    checked += 1
                    if x.utf8.count > 1 || y.utf8.count > 1 { cutsBeyondASCII += 1 }
                }
            }
        }
        #expect(checked >= visible.count * (visible.count - 1) * 6)
        #expect(cutsBeyondASCII > 5_000)
        // Malformed UTF-8 on either side, or the text ending before a character: no cut.
        for bytes: [UInt8] in [[0x80, 0x0A, 0x41], [0x41, 0x0A, 0xBF], [0xD0, 0x0A, 0x41], [0x41, 0x0A, 0xE4, 0xB8],
                               [0xC0, 0x81, 0x0A, 0x41], [0x41, 0x0A, 0xED, 0xA0, 0x80], [0x41, 0x0A]] {
            #expect(!bytes.withUnsafeBufferPointer { encoding.preTokenizer.isSafeCut($0, bytes.firstIndex(of: 0x0A)! + 1) })
        }
    }

    /// A `\n` before an indent and a visible character: a safe cut for every pattern but r50k's,
    /// whose `\s+(?!\S)` takes the `\n` with all but the last of the indent.
    @Test(arguments: encodings)
    func indentsAfterANewline(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let characters = ["a", "}", "/", "'", "1", "\"", "Я", "。", "👍", "\u{301}"]
        var checked = 0
        for x in characters {
            for indent in [" ", "  ", "\t", "    ", " \t ", "\t\t"] {
                for y in characters {
                    for after in ["", "s", "'s", " x", "\n"] {
                        let left = Array((x + "\n").utf8), right = Array((indent + y + after).utf8)
                        let whole = left + right
                        let cut = whole.withUnsafeBufferPointer { encoding.preTokenizer.isSafeCut($0, left.count) }
                        #expect(cut == (name != "r50k_base"))
                        let halves = try encoding.encode(bytes: left, disallowedSpecial: .none)
                            + encoding.encode(bytes: right, disallowedSpecial: .none)
                        if cut {
                            #expect(halves == (try encoding.encode(bytes: whole, disallowedSpecial: .none)),
                                    "\(name): \(String(decoding: whole, as: UTF8.self).debugDescription)")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == (name == "r50k_base" ? 0 : 10 * 6 * 10 * 5))
        if name == "r50k_base" {  // its piece holding the `\n` goes on into the indent
            #expect(try encoding.preTokenizer.pieces("a\n  b") == [0..<1, 1..<3, 3..<5])
        }
    }

    /// A whole number of parts per thread, up to four, none shorter than the minimum.
    @Test func partsComeInWholeNumbersPerThread() {
        let k = 1 << 10
        #expect(Encoding.partSpacing(length: 200 * k, threads: 2, minimumPart: 64 * k) == 100 * k)  // 2 parts, not 64+64+64+8
        #expect(Encoding.partSpacing(length: 130 * k, threads: 2, minimumPart: 64 * k) == 65 * k)
        #expect(Encoding.partSpacing(length: 127 * k, threads: 2, minimumPart: 64 * k) == nil)
        #expect(Encoding.partSpacing(length: 10 << 20, threads: 2, minimumPart: 64 * k) == (10 << 20) / 8)
        #expect(Encoding.partSpacing(length: 400 * k, threads: 2, minimumPart: 64 * k) == (400 * k + 5) / 6)  // 3 each
        #expect(Encoding.partSpacing(length: 150 * k, threads: 3, minimumPart: 64 * k) == 75 * k)  // 2 parts for 3 threads
        #expect(Encoding.partSpacing(length: 10 << 20, threads: 1, minimumPart: 64 * k) == nil)
        #expect(Encoding.partSpacing(length: 10 << 20, threads: 8, minimumPart: .max) == nil)  // no overflow
        #expect(Encoding.partSpacing(length: 10 << 20, threads: .max, minimumPart: 64 * k) == (10 << 20) / 160)
    }

    @Test(arguments: encodings)
    func parallelEqualsSequential(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let text = (0..<40).map { Self.tricky(seed: 1000 + UInt64($0), length: 400) }.joined(separator: "x\nY")
        let sequential = try encoding.encode(text, disallowedSpecial: .none)
        for threads in [1, 2, 3, 8] {
            #expect(try encoding.encodeParallel(text, threads: threads, disallowedSpecial: .none, minimumPart: 64) == sequential)
        }
        #expect(try encoding.encodeParallel(text, threads: 2, allowedSpecial: .all, minimumPart: 64)
                == encoding.encode(text, allowedSpecial: .all))
    }

    /// The parts' ids in order, whether copied on one thread or several (from 65,536 ids), with
    /// empty parts anywhere.
    @Test func concatenationKeepsThePartsInOrder() {
        let sizes = [0, 30_000, 1, 0, 50_000, 7, 0]
        var next: Rank = 0
        let parts = sizes.map { size in
            (0..<size).map { _ in
                next &+= 1
                return next
            }
        }
        let joined = Array(parts.joined())
        for threads in [1, 2, 3, 8] {
            #expect(Encoding.concatenate(parts, threads: threads) == joined)
        }
        #expect(Encoding.concatenate([[Rank]](), threads: 2).isEmpty)
        #expect(Encoding.concatenate([[], []], threads: 2).isEmpty)
        #expect(Encoding.concatenate([[1, 2], [3]], threads: 2) == [1, 2, 3])  // under the threshold
    }

    /// A text long enough that the parts' ids are copied concurrently: the same ids as one thread's.
    @Test func longTextInParallelEqualsSequential() throws {
        let encoding = try Support.encoding("o200k_base")
        var lines = [String]()
        var seed: UInt64 = 9000
        var length = 0
        while length < 300_000 {
            lines.append(Self.tricky(seed: seed, length: 300))
            length += lines.last!.utf8.count + 3
            seed += 1
        }
        let text = lines.joined(separator: "x\nY")
        let sequential = try encoding.encode(text, disallowedSpecial: .none)
        #expect(sequential.count >= 1 << 16)
        for threads in [2, 3] {
            #expect(try encoding.encodeParallel(text, threads: threads, disallowedSpecial: .none, minimumPart: 4096) == sequential)
        }
    }

    @Test func disallowedSpecialTokenOffsetIsInTheWholeText() throws {
        let encoding = try Support.encoding("o200k_base")
        let text = String(repeating: "line of text\nNext ", count: 200) + "<|endoftext|>"
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|endoftext|>", byteOffset: text.utf8.count - 13)) {
            try encoding.encodeParallel(text, threads: 2, minimumPart: 64)
        }
    }

    /// Many files as one pool of parts: each count equals the file counted alone and encoding its
    /// bytes, whether the file is split (1 MiB in 64 KiB parts), has no place to cut, is not UTF-8
    /// in its middle (counted again whole), is tiny or empty; a missing file is an error of its
    /// own; every file is reported done once.
    @Test(arguments: encodings)
    func countingManyFilesAsOnePool(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = ""
        var seed: UInt64 = 7000
        while text.utf8.count < 1 << 20 {
            text += Self.tricky(seed: seed, length: 300) + "x\nY"
            seed += 1
        }
        var invalid = Array(text.utf8)
        invalid[invalid.count / 2 + 1] = 0xFF
        let contents: [(String, [UInt8])] = [
            ("split.txt", Array(text.utf8)),
            ("one-line.txt", Array(String(repeating: "no newline here, 中文 👍 ", count: 20_000).utf8)),
            ("invalid.bin", invalid),
            ("tiny.txt", Array("x\nY".utf8)),
            ("empty.txt", []),
        ]
        var paths = [String]()
        for (file, bytes) in contents {
            paths.append(folder.appendingPathComponent(file).path)
            FileManager.default.createFile(atPath: paths.last!, contents: Data(bytes))
        }
        paths.insert(folder.appendingPathComponent("missing.txt").path, at: 2)
        for threads in [1, 2, 3] {
            let done = Mutex([Int](repeating: 0, count: paths.count))
            let results = encoding.countTokens(files: paths, threads: threads, partSize: 1 << 16) { file in
                done.withLock { $0[file] += 1 }
            }
            #expect(results.count == paths.count)
            for (index, path) in paths.enumerated() {
                guard let bytes = contents.first(where: { path.hasSuffix("/" + $0.0) })?.1 else {
                    #expect(throws: CountError.self) { try results[index].get() }
                    #expect(done.withLock { $0[index] } == 1)
                    continue
                }
                let expected = try encoding.encode(bytes: bytes, disallowedSpecial: .none).count
                let count = try results[index].get()
                #expect(count == TokenCount(bytes: bytes.count, tokens: expected), "\(path), \(threads) threads")
                #expect(try encoding.countTokens(file: path, threads: threads) == count)
                #expect(done.withLock { $0[index] } == 1, "\(path) reported done once")
            }
        }
    }

    @Test func batchEqualsOneByOne() throws {
        let encoding = try Support.encoding("cl100k_base")
        let texts = (0..<200).map { Self.tricky(seed: 5000 + UInt64($0), length: Int($0 % 50)) }
        let batch = try encoding.encodeBatch(texts, threads: 2)
        let oneByOne = try texts.map { try encoding.encodeOrdinary($0) }
        #expect(batch == oneByOne)
        #expect(try encoding.encodeBatch([], threads: 2).isEmpty)
    }

    /// Many threads on one shared Encoding at once, every result equal to the sequential one.
    @Test func sharedEncodingAcrossThreads() async throws {
        let encoding = try Support.encoding("o200k_harmony")
        let texts = (0..<64).map { Self.tricky(seed: 9000 + UInt64($0), length: 300) }
        let expected = try texts.map { try encoding.encode($0, disallowedSpecial: .none) }
        try await withThrowingTaskGroup(of: (Int, [Rank]).self) { group in
            for (i, text) in texts.enumerated() {
                group.addTask { (i, try encoding.encode(text, disallowedSpecial: .none)) }
            }
            for try await (i, ids) in group {
                #expect(ids == expected[i])
                #expect(try encoding.decodeBytes(ids) == Array(texts[i].utf8))
            }
        }
    }

    /// Eight OS threads at once (more than the cores, unlike a task group) on one shared Encoding:
    /// encode, decode, count, stream-decode, and the PCRE2 path of a custom pattern (its pool of
    /// matchers). Run under ThreadSanitizer by `Tools/sanitize thread`.
    @Test func manyThreadsOnOneEncoding() throws {
        let builtIn = try Support.encoding("o200k_base")
        let custom = try Encoding.custom(name: "o200k-pcre2", vocabularyFile: VocabularyLocator.locate("o200k_base.tiktoken"),
                                         pattern: #"\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+|\s+"#)
        let texts = (0..<16).map { Self.tricky(seed: 12_000 + UInt64($0), length: 400) }
        let expected = try texts.map { try builtIn.encodeOrdinary($0) }
        let expectedCustom = try texts.map { try custom.encodeOrdinary($0) }
        let failures = Mutex(0)
        let done = DispatchGroup()
        for t in 0..<8 {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                for round in 0..<20 {
                    let i = (t * 7 + round) % texts.count
                    do {
                        let ids = try builtIn.encodeOrdinary(texts[i])
                        var stream = StreamingDecoder(encoding: builtIn)
                        var streamed = ""
                        for id in ids { streamed += try stream.push(id) }
                        streamed += try stream.finish()
                        let decoded = try builtIn.decode(ids), count = try builtIn.countTokens(texts[i])
                        let viaPCRE2 = try custom.encodeOrdinary(texts[i])
                        let ok = ids == expected[i] && decoded == texts[i] && streamed == texts[i]
                            && count == ids.count && viaPCRE2 == expectedCustom[i]
                        if !ok { failures.withLock { $0 += 1 } }
                    } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
            }
            thread.start()
        }
        done.wait()
        #expect(failures.withLock { $0 } == 0)
    }
}
