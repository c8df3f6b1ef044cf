/// The ordinary (mergeable) tokens of a byte-level BPE: byte strings and their ranks.
///
/// Read from a tiktoken-format file (see ``Vocabulary/init(tiktoken:source:expectedSHA256:)``). Every single byte
/// must be a token, so that any input, even invalid UTF-8, can be encoded. Immutable and `Sendable`.
public struct Vocabulary: Sendable {
    let table: RankTable

    /// The lowercase sha256 of the file it was read from.
    public let sha256: String

    init(table: RankTable, sha256: String) {
        self.table = table
        self.sha256 = sha256
    }

    /// Byte-pair merging by this vocabulary's ranks.
    var merger: BytePairMerger { BytePairMerger(table: table) }

    /// The number of ordinary tokens.
    public var count: Int { table.count }

    /// One more than the largest rank.
    public var rankLimit: Int { table.rankLimit }

    /// The rank of `bytes` when they are exactly one token.
    public func rank(of bytes: some Collection<UInt8>) -> Rank? {
        let array = Array(bytes)
        let rank = array.withUnsafeBufferPointer { buffer in
            buffer.isEmpty ? RankTable.noRank : table.rank(buffer.baseAddress!, buffer.count)
        }
        return rank == RankTable.noRank ? nil : rank
    }

    /// The bytes of the token with `rank`, or `nil` when there is none.
    public func bytes(of rank: Rank) -> [UInt8]? {
        table.withBytes(of: rank) { Array($0) }
    }
}
