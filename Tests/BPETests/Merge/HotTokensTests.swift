import Testing
@testable import BPE

/// ``HotTokens``, the one-word answer of ``PieceCache``'s hot table.
@Suite struct HotTokensTests {
    func appended(_ meta: UInt64?) -> [Rank]? {
        guard let meta else { return nil }
        var output: [Rank] = [7]
        return HotTokens.append(meta, to: &output) ? Array(output.dropFirst()) : []
    }

    /// The worked example of the type's documentation.
    @Test func workedExample() {
        #expect(appended(HotTokens.meta(length: 5, 9906, 11)) == [9906, 11])
        #expect(HotTokens.meta(length: 5, 1 << 18) == nil)
        #expect(appended(HotTokens.more(length: 5)) == [])
    }

    /// One to three tokens, each from 0 to the largest that fits, and the length, come back as
    /// they went in; a token that does not fit in any place is refused.
    @Test func tokensAndLengthRoundTrip() {
        let largest = Rank(1 << HotTokens.tokenBits - 1)
        for length in 4...8 {
            for (a, b, c) in [(0, 0, 0), (largest, 0, 1), (1, largest, 0), (123_456, 200_018, largest)] as [(Rank, Rank, Rank)] {
                #expect(appended(HotTokens.meta(length: length, a)) == [a])
                #expect(appended(HotTokens.meta(length: length, a, b)) == [a, b])
                #expect(appended(HotTokens.meta(length: length, a, b, c)) == [a, b, c])
                #expect(HotTokens.length(HotTokens.meta(length: length, a, b, c)!) == length)
            }
            #expect(HotTokens.length(HotTokens.more(length: length)) == length)
            #expect(HotTokens.meta(length: length, largest + 1, 0) == nil)
            #expect(HotTokens.meta(length: length, 0, largest + 1) == nil)
            #expect(HotTokens.meta(length: length, 0, 0, largest + 1) == nil)
        }
        #expect(HotTokens.length(0) == 0)  // an empty slot matches no piece
    }
}
