/// The ordinary (mergeable) tokens of a byte-level BPE: byte strings and their ranks.
///
/// Read from a tiktoken-format file (see ``Vocabulary/init(tiktoken:source:expectedSHA256:)``), a
/// `tokenizer.json` or a Tekken file. Normally every single byte is a token, so that any input, even
/// invalid UTF-8, can be encoded; where a file lacks some (``missingBytes``), encoding text with such a
/// byte throws ``TokenEncodingError/noTokenForByte(_:)``. Immutable and `Sendable`.
public struct Vocabulary: Sendable {
    let table: RankTable

    /// The lowercase sha256 of the file it was read from.
    public let sha256: String

    /// Ranks whose token is the empty byte string (tiktoken reads a line `= RANK` so, as in Whisper's
    /// `multilingual.tiktoken`): they decode to nothing, and encoding never gives them.
    public let emptyTokenRanks: Set<Rank>

    /// The bytes that are not a token by themselves, in order (usually none).
    public let missingBytes: [UInt8]

    /// For each byte value, whether it is in ``missingBytes``; `nil` when none is.
    let missingByteTable: [Bool]?

    init(table: RankTable, sha256: String, emptyTokenRanks: Set<Rank> = []) {
        self.table = table
        self.sha256 = sha256
        self.emptyTokenRanks = emptyTokenRanks
        missingBytes = (0...255).filter { table.byteRanks[$0] == RankTable.noRank }.map(UInt8.init)
        missingByteTable = missingBytes.isEmpty ? nil : table.byteRanks.map { $0 == RankTable.noRank }
    }

    /// The first byte of `text` that is not a token.
    /// - Complexity: O(n), and O(1) when every byte is a token.
    func firstMissingByte(in text: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard let missingByteTable else { return nil }
        return text.first { missingByteTable[Int($0)] }
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
