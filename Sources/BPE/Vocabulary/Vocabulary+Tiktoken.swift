extension Vocabulary {
    /// Reads tiktoken's format: one `BASE64 RANK` per line; blank lines are skipped, a final `\r`
    /// is allowed. Every problem is reported with `source` and the 1-based line.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - source: a name for errors (usually the path).
    ///   - expectedSHA256: when given, the data must hash to it.
    /// - Complexity: O(n) in the file size.
    public init(tiktoken data: [UInt8], source: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let digest = try SHA256.checkedHexDigest(data, expected: expectedSHA256, source: source)
        let (table, emptyTokenRanks) = try data.withUnsafeBufferPointer { buffer throws(VocabularyError) in
            try Vocabulary.parse(buffer, source: source)
        }
        self.init(table: table, sha256: digest, emptyTokenRanks: emptyTokenRanks)
    }

    /// Reads a `.tiktoken` file from disk.
    public init(contentsOfFile path: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let data = try FileBytes.read(path)
        try self.init(tiktoken: data, source: path, expectedSHA256: expectedSHA256)
    }

    // MARK: - Parsing

    /// The table, and the ranks of empty tokens (kept out of it: no text encodes to them).
    static func parse(_ file: UnsafeBufferPointer<UInt8>, source: String) throws(VocabularyError) -> (RankTable, Set<Rank>) {
        var arena = [UInt8]()
        arena.reserveCapacity(file.count * 3 / 4)
        var entries = [Entry]()
        entries.reserveCapacity(file.count / 8)
        var entryLines = [Int32]()
        entryLines.reserveCapacity(file.count / 8)

        var emptyTokens = [Rank: Int]()  // rank: line
        var lineNumber = 0
        var position = 0
        let end = file.count
        while position < end {
            lineNumber += 1
            var lineEnd = position
            while lineEnd < end, file[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > position, file[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            defer { position = lineEnd + 1 }
            if contentEnd == position { continue }

            var space = position
            while space < contentEnd, file[space] != 0x20 { space += 1 }
            func text(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: file[range.clamped(to: range.lowerBound..<min(range.upperBound, range.lowerBound + 80))]), as: UTF8.self)
            }
            guard space < contentEnd else {
                throw VocabularyError(file: source, line: lineNumber, problem: .missingRank)
            }
            // Rank: decimal digits only.
            var rank: UInt64 = 0
            let rankStart = space + 1
            guard rankStart < contentEnd else {
                throw VocabularyError(file: source, line: lineNumber, problem: .missingRank)
            }
            for i in rankStart..<contentEnd {
                let digit = file[i] &- 0x30
                guard digit < 10, rank < 1 << 31 else {
                    throw VocabularyError(file: source, line: lineNumber, problem: .badRank(text(rankStart..<contentEnd)))
                }
                rank = rank * 10 + UInt64(digit)
            }
            guard rank < 1 << 31 else {
                throw VocabularyError(file: source, line: lineNumber, problem: .badRank(text(rankStart..<contentEnd)))
            }
            // An empty token: what tiktoken's `base64.b64decode` makes of a lone `=`.
            if file[position..<space].allSatisfy({ $0 == UInt8(ascii: "=") }), space > position {
                if let first = emptyTokens.values.first {
                    throw VocabularyError(file: source, line: lineNumber, problem: .duplicateToken(firstLine: first))
                }
                emptyTokens[Rank(rank)] = lineNumber
                continue
            }
            // Token: strict base64 with padding to a multiple of 4.
            let offset = arena.count
            guard space > position, Base64.decode(UnsafeBufferPointer(rebasing: file[position..<space]), into: &arena) else {
                throw VocabularyError(file: source, line: lineNumber, problem: .badBase64(text(position..<space)))
            }
            entries.append((UInt32(offset), UInt32(arena.count - offset), Rank(rank)))
            entryLines.append(Int32(lineNumber))
        }
        guard !entries.isEmpty else { throw VocabularyError(file: source, problem: .empty) }
        for (index, entry) in entries.enumerated() {
            if let first = emptyTokens[entry.rank] {
                throw VocabularyError(file: source, line: Int(entryLines[index]), problem: .duplicateRank(entry.rank, firstLine: first))
            }
        }
        do {
            // Bytes without a token are allowed (tiktoken reads such files; encoding such a byte is an error).
            return (try makeTable(arena: arena, entries: entries, requireEveryByte: false), Set(emptyTokens.keys))
        } catch {
            let line = { (entry: Int) in Int(entryLines[entry]) }
            switch error {
            case let .tooSparse(maxRank): throw VocabularyError(file: source, problem: .ranksTooSparse(maxRank: maxRank, count: entries.count))
            case let .duplicateRank(rank, entry, first):
                throw VocabularyError(file: source, line: line(entry), problem: .duplicateRank(rank, firstLine: line(first)))
            case let .duplicateToken(entry, first):
                throw VocabularyError(file: source, line: line(entry), problem: .duplicateToken(firstLine: line(first)))
            case let .missingByte(byte): throw VocabularyError(file: source, problem: .missingByte(byte))
            }
        }
    }
}

extension Vocabulary {
    typealias Entry = (offset: UInt32, length: UInt32, rank: Rank)

    /// What makes a list of tokens unusable, by entry index (the formats name their own places).
    enum TableProblem: Error {
        case tooSparse(maxRank: Rank)
        case duplicateRank(Rank, entry: Int, firstEntry: Int)
        case duplicateToken(entry: Int, firstEntry: Int)
        case missingByte(UInt8)
    }

    /// The rank table of `entries` (spans of `arena` with their ranks), checked: ranks nearly
    /// dense and below 2^30, no rank or token twice, every single byte a token (unless not
    /// `requireEveryByte`: a merges-list vocabulary may lack bytes that valid UTF-8 never holds).
    static func makeTable(arena: [UInt8], entries: [Entry], requireEveryByte: Bool = true) throws(TableProblem) -> RankTable {
        var maxRank: Rank = 0
        for entry in entries { maxRank = max(maxRank, entry.rank) }
        let rankLimit = Int(maxRank) + 1
        // Also keeps every rank below 2^30, which the three-byte character table relies on.
        guard rankLimit <= entries.count * 2 + 65_536, maxRank < 1 << 30 else { throw .tooSparse(maxRank: maxRank) }
        // Duplicate ranks: the first entry that used each rank (+1; 0 for none).
        var entryOfRank = [Int32](repeating: 0, count: rankLimit)
        for (index, entry) in entries.enumerated() {
            let first = entryOfRank[Int(entry.rank)]
            if first != 0 { throw .duplicateRank(entry.rank, entry: index, firstEntry: Int(first) - 1) }
            entryOfRank[Int(entry.rank)] = Int32(index + 1)
        }
        let table = arena.withUnsafeBytes { arenaBytes in
            entries.withUnsafeBufferPointer { RankTable(arena: arenaBytes, entries: $0, rankLimit: rankLimit) }
        }
        // Duplicate tokens: a token whose lookup finds another rank.
        try arena.withUnsafeBufferPointer { arenaBuffer throws(TableProblem) in
            for (index, entry) in entries.enumerated() {
                let found = table.rank(arenaBuffer.baseAddress! + Int(entry.offset), Int(entry.length))
                if found != entry.rank {
                    let other = Int(entryOfRank[Int(found)]) - 1
                    throw .duplicateToken(entry: max(index, other), firstEntry: min(index, other))
                }
            }
        }
        for byte in 0...255 where requireEveryByte && table.byteRanks[byte] == RankTable.noRank { throw .missingByte(UInt8(byte)) }
        return table
    }
}
