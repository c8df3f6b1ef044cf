import Testing
@testable import BPE

/// The backtracking merge for long pieces against tiktoken's loop (``BytePairMerger/mergeShortPiece``), the
/// heap (``BytePairMerger/mergeWithHeap``) and the readable oracle, on OpenAI's vocabularies and on
/// Llama 3's and Qwen 3.5's, which have tokens that are not monotone.
@Suite struct BacktrackingTests {
    static let vocabularies = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base", "llama3", "qwen3.5"]
    /// The vocabularies with tokens whose own merges are not in rank order.
    static let notExact: Set = ["llama3", "qwen3.5"]

    /// The ranks of the merges tiktoken's loop performs on `bytes` (lowest rank first, the leftmost
    /// of equal ranks), in order, and the parts left.
    static func ownMerges(_ bytes: [UInt8], _ table: RankTable) -> (ranks: [Rank], parts: Int) {
        var parts = bytes.map { [$0] }
        var ranks = [Rank]()
        while parts.count > 1 {
            var best: (rank: Rank, at: Int)?
            for i in 0..<(parts.count - 1) {
                let joined = parts[i] + parts[i + 1]
                let rank = joined.withUnsafeBufferPointer { table.rank($0.baseAddress!, $0.count) }
                if rank != RankTable.noRank, rank < best?.rank ?? .max { best = (rank, i) }
            }
            guard let best else { break }
            ranks.append(best.rank)
            parts[best.at] += parts.remove(at: best.at + 1)
        }
        return (ranks, parts.count)
    }

    /// The worked example of `BytePairMerger+Backtracking.swift`.
    @Test func workedExample() throws {
        let vocabulary = try Support.vocabulary(extra: ["ab", "bc", "abc"])
        let index = vocabulary.merger.backtrackingIndex
        var output = [Rank]()
        let ok = Array("abcbc".utf8).withUnsafeBufferPointer {
            vocabulary.merger.mergeByBacktracking($0.baseAddress!, $0.count, index, into: &output)
        }
        #expect(ok)
        #expect(output == [258, 257])
    }

    /// Each built-in vocabulary's index agrees with the definitions: splits rebuild the token, the
    /// next prefix is a shorter prefix, and exactly the tokens whose own merges go down in rank
    /// somewhere are marked as not monotone (none in OpenAI's vocabularies).
    @Test(arguments: vocabularies) func indexOfBuiltInVocabulary(name: String) throws {
        let table = try Support.encoding(name).vocabulary.table
        let merger = BytePairMerger(table: table)
        let index = merger.backtrackingIndex
        #expect(index.isExact == !Self.notExact.contains(name))
        var unreachable = 0, notMonotone = 0
        for rank in 0..<table.rankLimit {
            guard let bytes = table.withBytes(of: Rank(rank), { Array($0) }) else { continue }
            let own = Support.referenceMerge(bytes, Vocabulary(table: table, sha256: ""))
            if own != [Rank(rank)] {
                unreachable += 1
                #expect(index.left(of: Rank(rank)) == RankTable.noRank)
                continue
            }
            if bytes.count == 1 {
                #expect(index.nextPrefix[rank] == RankTable.noRank)
                continue
            }
            let merges = Self.ownMerges(bytes, table).ranks
            let monotone = zip(merges, merges.dropFirst()).allSatisfy { $0 <= $1 }
            #expect(index.isMonotone(Rank(rank)) == monotone, "\(name): \(rank)")
            if !monotone { notMonotone += 1 }
            let left = index.left(of: Rank(rank)), right = index.right(of: Rank(rank))
            let joined = table.withBytes(of: left, { Array($0) })! + table.withBytes(of: right, { Array($0) })!
            #expect(joined == bytes)
            // A token's parts come before it, unless its own merges go down in rank (`.:.:`, 100421,
            // is Llama 3's `.:.` (105051) and `:`).
            if monotone { #expect(left < Rank(rank) && right < Rank(rank)) }
            let prefix = try #require(table.withBytes(of: index.nextPrefix[rank], { Array($0) }))
            #expect(prefix.count < bytes.count && Array(bytes[0..<prefix.count]) == prefix)
            let longest = index.longestToken(bytes, bytes.count)
            #expect(longest.token == Rank(rank) && longest.length == bytes.count)
        }
        #expect(unreachable == index.unreachableCount)
        #expect((notMonotone > 0) == Self.notExact.contains(name))
    }

    /// The pair test against its definition: merge the two tokens' bytes with the oracle.
    @Test(arguments: vocabularies) func pairTestMatchesDefinition(name: String) throws {
        let table = try Support.encoding(name).vocabulary.table
        let merger = BytePairMerger(table: table)
        let vocabulary = Vocabulary(table: table, sha256: "")
        let index = merger.backtrackingIndex
        var rng = SplitMix(state: 11)
        var tokens = [Rank]()
        for rank in 0..<table.rankLimit where index.left(of: Rank(rank)) != RankTable.noRank || table.length(of: Rank(rank)) == 1 {
            tokens.append(Rank(rank))
        }
        // Tokens that are not monotone are rare: a quarter of the pairs have one on a side.
        let notMonotone = tokens.filter { !index.isMonotone($0) }
        // Random pairs are mostly valid; pairs that share letters at the boundary are where merges
        // cross, so also pair tokens ending and starting with the same byte.
        var byLastByte = [[Rank]](repeating: [], count: 256)
        for t in tokens { table.withBytes(of: t) { byLastByte[Int($0[$0.count - 1])].append(t) } }
        var invalid = 0
        for round in 0..<40_000 {
            var left = tokens.randomElement(using: &rng)!
            var right = tokens.randomElement(using: &rng)!
            if round % 2 == 1, let first = table.withBytes(of: right, { $0[0] }), let other = byLastByte[Int(first)].randomElement(using: &rng) {
                right = other
            }
            if round % 4 == 2, let token = notMonotone.randomElement(using: &rng) { right = token }
            if round % 4 == 3, let token = notMonotone.randomElement(using: &rng) { left = token }
            let bytes = table.withBytes(of: left, { Array($0) })! + table.withBytes(of: right, { Array($0) })!
            let expected = Support.referenceMerge(bytes, vocabulary) == [left, right]
            let boundary = table.length(of: left)
            let got = bytes.withUnsafeBufferPointer { merger.isValidPair(left, boundary, right, table.length(of: right), at: $0.baseAddress! + boundary, index) }
            #expect(got == expected, "\(name): \(left) \(right)")
            if !expected { invalid += 1 }
        }
        #expect(invalid > 200)  // the test sees both answers often
    }

    /// Long pieces of many kinds: the backtracking merge equals the heap (itself checked against
    /// the oracle in BytePairMergeTests), for every built-in vocabulary.
    @Test(arguments: vocabularies) func longPiecesMatchHeap(name: String) throws {
        let table = try Support.encoding(name).vocabulary.table
        let merger = BytePairMerger(table: table)
        let index = merger.backtrackingIndex
        var rng = SplitMix(state: 5)
        let alphabets: [[UInt8]] = [
            Array("a".utf8), Array(" ".utf8), Array("ab".utf8), Array("abcdefghijklmnopqrstuvwxyz".utf8),
            Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8),
            Array("ـاللهمحدأبتثجخذرزسشصضطظعغفقكلنهوي".utf8), Array("的一是不了人我在有他这为之大来以个中上们".utf8),
            Array("ภาษาไทยไม่มีการเว้นวรรค".utf8), Array("\t\n =-*_#".utf8), Array(0...255),
        ]
        var tokens = [Rank]()
        for rank in 0..<table.rankLimit where table.length(of: Rank(rank)) > 0 { tokens.append(Rank(rank)) }
        // Where tokens that are not monotone meet, pairs are tested by merging: pieces made of them.
        let notMonotone = tokens.filter { !index.isMonotone($0) }
        for round in 0..<2_000 {
            let n = [49, 64, 100, 300, 1000, 5000][round % 6]
            var piece = [UInt8]()
            if round % 9 == 4, !notMonotone.isEmpty {
                while piece.count < n {
                    let token = round % 2 == 0 ? notMonotone.randomElement(using: &rng)! : tokens.randomElement(using: &rng)!
                    for _ in 0..<Int.random(in: 1...3, using: &rng) { table.withBytes(of: token) { piece += $0 } }
                }
            } else if round % 3 == 2 {
                while piece.count < n { table.withBytes(of: tokens.randomElement(using: &rng)!) { piece += $0 } }
            } else {
                let alphabet = alphabets[round % alphabets.count]
                let stride = alphabet.count > 30 && round % 2 == 0 ? 1 : 0
                while piece.count < n {
                    if stride == 1, let first = alphabet.indices.randomElement(using: &rng) {
                        piece.append(contentsOf: alphabet[first..<min(first + Int.random(in: 1...6, using: &rng), alphabet.count)])
                    } else {
                        piece.append(alphabet.randomElement(using: &rng)!)
                    }
                }
            }
            var heap = [Rank](), backtracked = [Rank](), cut = [Rank]()
            let ok = piece.withUnsafeBufferPointer { buffer in
                merger.mergeWithHeap(buffer.baseAddress!, buffer.count, into: &heap)
                merger.mergeLongPiece(buffer.baseAddress!, buffer.count, into: &cut)
                return merger.mergeByBacktracking(buffer.baseAddress!, buffer.count, index, into: &backtracked)
            }
            #expect(ok)
            #expect(backtracked == heap, "\(name), round \(round), \(piece.count) bytes")
            #expect(cut == heap, "cut at unjoinable pairs: \(name), round \(round), \(piece.count) bytes")
        }
    }

    /// The algorithm's claim beyond the built-in vocabularies: on random small vocabularies over a
    /// four-letter alphabet (many overlapping tokens, built by random merges so most are monotone,
    /// plus arbitrary strings that may merge out of order), backtracking equals the oracle on
    /// random pieces, whether or not every token is monotone.
    @Test func randomVocabulariesMatchOracle() throws {
        var rng = SplitMix(state: 3)
        let alphabet = Array("abcd".utf8)
        var exactVocabularies = 0, inexact = 0
        for _ in 0..<60 {
            // Tokens made by joining two existing tokens, in rank order (as training does), plus a
            // few arbitrary strings that may merge out of order.
            var tokens = alphabet.map { [$0] }
            var known = Set(tokens)
            var extra = [String]()
            while extra.count < 80 {
                let joined: [UInt8]
                if Int.random(in: 0..<10, using: &rng) == 0 {
                    joined = (0..<Int.random(in: 2...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                } else {
                    joined = tokens.randomElement(using: &rng)! + tokens.randomElement(using: &rng)!
                }
                guard joined.count <= 12, known.insert(joined).inserted else { continue }
                tokens.append(joined)
                extra.append(String(decoding: joined, as: UTF8.self))
            }
            let vocabulary = try Support.vocabulary(extra: extra)
            let index = vocabulary.merger.backtrackingIndex
            if index.isExact { exactVocabularies += 1 } else { inexact += 1 }
            for _ in 0..<60 {
                let piece = (0..<Int.random(in: 1...120, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                var output = [Rank]()
                let ok = piece.withUnsafeBufferPointer {
                    vocabulary.merger.mergeByBacktracking($0.baseAddress!, $0.count, index, into: &output)
                }
                #expect(ok)
                #expect(output == Support.referenceMerge(piece, vocabulary), "\(extra) \(piece)")
            }
        }
        #expect(exactVocabularies >= 10 && inexact >= 10)  // both kinds were seen
    }

    /// A search stopped by its budget appends nothing and says so; the long tier then gives the
    /// heap's result (a run of one repeated byte, where the search meets many dead ends).
    @Test func searchOverBudgetAppendsNothing() throws {
        let table = try Support.encoding("o200k_base").vocabulary.table
        let merger = BytePairMerger(table: table)
        for length in [200, 701] {
            let piece = Array(String(repeating: "-", count: length).utf8)
            var output: [Rank] = [7], long = [Rank](), heap = [Rank]()
            let ok = piece.withUnsafeBufferPointer { buffer in
                merger.mergeLongPiece(buffer.baseAddress!, buffer.count, into: &long)
                merger.mergeWithHeap(buffer.baseAddress!, buffer.count, into: &heap)
                return merger.mergeByBacktracking(buffer.baseAddress!, buffer.count, merger.backtrackingIndex, budget: 10, into: &output)
            }
            #expect(!ok && output == [7])
            #expect(long == heap && heap == Support.referenceMerge(piece, Vocabulary(table: table, sha256: "")))
        }
    }

    /// A token whose own merges go out of rank order is marked, and pairs with it are tested by
    /// merging: the search still gives the oracle's result.
    @Test func tokenOutOfOrderIsTestedByMerging() throws {
        // "abc" has rank 256 and "bc" 257: merging "abc" joins b+c (257) first, then a+bc (256).
        let vocabulary = try Support.vocabulary(extra: ["abc", "bc"])
        let index = vocabulary.merger.backtrackingIndex
        #expect(!index.isExact && !index.isMonotone(256) && index.isMonotone(257))
        for text in ["abcx", "abcbc", "aabcbcabc", "bcabcabcbcbca"] {
            let piece = Array(String(repeating: text, count: 40).utf8)
            var output = [Rank]()
            let ok = piece.withUnsafeBufferPointer { vocabulary.merger.mergeByBacktracking($0.baseAddress!, $0.count, index, into: &output) }
            #expect(ok)
            #expect(output == Support.referenceMerge(piece, vocabulary), "\(text)")
        }
    }
}
