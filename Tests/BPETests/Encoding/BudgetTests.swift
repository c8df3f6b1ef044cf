import Testing
@testable import BPE

/// `prefixLength` is the longest character-boundary prefix within the budget (checked against
/// trying every prefix), and `chunks` cover the text in pieces within the budget.
@Suite struct BudgetTests {
    @Test(arguments: ["o200k_base", "cl100k_base", "r50k_base"])
    func prefixIsTheLongestThatFits(_ name: String) throws {
        let encoding = try Support.encoding(name)
        for seed in 0..<300 {
            let text = ParallelTests.tricky(seed: 20_000 + UInt64(seed), length: 4 + seed % 12)
            let utf8 = Array(text.utf8)
            let boundaries = (0...utf8.count).filter { $0 == utf8.count || utf8[$0] & 0xC0 != 0x80 }
            let counts = try boundaries.map { try encoding.encodeOrdinary(String(decoding: utf8[..<$0], as: UTF8.self)).count }
            for budget in 0...(counts.last! + 1) {
                let expected = zip(boundaries, counts).filter { $0.1 <= budget }.map(\.0).max()!
                #expect(try encoding.prefixLength(text, maxTokens: budget) == expected, "\(name) \(text.debugDescription) \(budget)")
            }
        }
    }

    @Test(arguments: [0, 1, 3])
    func chunksFitAndCover(_ overlap: Int) throws {
        let encoding = try Support.encoding("o200k_base")
        let text = (0..<30).map { ParallelTests.tricky(seed: 30_000 + UInt64($0), length: 20) }.joined()
        let utf8 = Array(text.utf8)
        let ranges = try encoding.chunks(text, maxTokens: 16, overlap: overlap)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == utf8.count)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            if overlap == 0 { #expect(a.upperBound == b.lowerBound) } else { #expect(b.lowerBound <= a.upperBound && b.lowerBound > a.lowerBound) }
        }
        for range in ranges {
            #expect(utf8[range.lowerBound] & 0xC0 != 0x80)
            let count = try encoding.encodeOrdinary(String(decoding: utf8[range], as: UTF8.self)).count
            #expect(count <= 16 || range.count <= 4)  // a lone character may need more than the budget
        }
    }
}
