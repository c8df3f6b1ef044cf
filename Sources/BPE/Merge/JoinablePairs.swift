/// The byte pairs that occur next to each other inside some token: one bit for each of the 65,536
/// pairs (8 KiB, so it stays in the first-level cache).
///
/// ## Why
/// Merging only ever forms tokens, so a part that spans the place between two bytes `x`, `y` would
/// be a token containing `xy`. Where no token contains `xy`, no merge crosses that place: the bytes
/// on either side merge independently, and a long piece can be cut there into shorter ones with
/// the same result. Random bytes and many mixed-script runs have such places every few bytes; a run
/// of one letter has none.
///
/// Built from a ``RankTable`` on first use (one pass over every token's bytes); immutable after,
/// so safe to share across threads.
final class JoinablePairs: @unchecked Sendable {
    private let bits: UnsafeMutablePointer<UInt64>

    init(table: RankTable) {
        bits = .allocate(capacity: 1024)
        bits.initialize(repeating: 0, count: 1024)
        let arena = table.arena.baseAddress!
        for span in table.spans where span.length > 1 {
            var byte = arena + span.offset
            let end = byte + span.length
            var previous = Int(byte.pointee)
            byte += 1
            while byte < end {
                let pair = previous &<< 8 | Int(byte.pointee)
                bits[pair &>> 6] |= 1 &<< UInt64(pair & 63)
                previous = Int(byte.pointee)
                byte += 1
            }
        }
    }

    deinit {
        bits.deallocate()
    }

    /// Whether some token contains the byte `first` immediately followed by `second`.
    @inline(__always)
    func contains(_ first: UInt8, _ second: UInt8) -> Bool {
        let pair = Int(first) << 8 | Int(second)
        return bits[pair >> 6] & (1 << UInt64(pair & 63)) != 0
    }
}
