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
        let digest = SHA256.hexDigest(data)
        if let expectedSHA256, expectedSHA256.lowercased() != digest {
            throw VocabularyError(file: source, problem: .sha256Mismatch(expected: expectedSHA256.lowercased(), actual: digest))
        }
        let table: RankTable
        do {
            table = try data.withUnsafeBufferPointer { buffer throws(VocabularyError) in
                try Vocabulary.parse(buffer, source: source)
            }
        }
        self.init(table: table, sha256: digest)
    }

    /// Reads a `.tiktoken` file from disk.
    public init(contentsOfFile path: String, expectedSHA256: String? = nil) throws(VocabularyError) {
        let data = try FileBytes.read(path)
        try self.init(tiktoken: data, source: path, expectedSHA256: expectedSHA256)
    }

    // MARK: - Parsing

    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()

    static func parse(_ file: UnsafeBufferPointer<UInt8>, source: String) throws(VocabularyError) -> RankTable {
        typealias Entry = (offset: UInt32, length: UInt32, rank: Rank)
        var arena = [UInt8]()
        arena.reserveCapacity(file.count * 3 / 4)
        var entries = [Entry]()
        entries.reserveCapacity(file.count / 8)
        var entryLines = [Int32]()
        entryLines.reserveCapacity(file.count / 8)
        let values = base64Values

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
            // Token: strict base64 with padding to a multiple of 4.
            let tokenLength = space - position
            guard tokenLength > 0, tokenLength % 4 == 0 else {
                throw VocabularyError(file: source, line: lineNumber, problem: .badBase64(text(position..<space)))
            }
            let offset = arena.count
            var i = position
            while i < space {
                let a = values[Int(file[i])], b = values[Int(file[i + 1])]
                let c3 = file[i + 2], c4 = file[i + 3]
                let c = values[Int(c3)], d = values[Int(c4)]
                let last = i + 4 == space
                guard a != 0xFF, b != 0xFF else {
                    throw VocabularyError(file: source, line: lineNumber, problem: .badBase64(text(position..<space)))
                }
                arena.append(a << 2 | b >> 4)
                if c != 0xFF {
                    arena.append(b << 4 | c >> 2)
                    if d != 0xFF {
                        arena.append(c << 6 | d)
                    } else if !(last && c4 == UInt8(ascii: "=")) {
                        throw VocabularyError(file: source, line: lineNumber, problem: .badBase64(text(position..<space)))
                    }
                } else if !(last && c3 == UInt8(ascii: "=") && c4 == UInt8(ascii: "=")) {
                    throw VocabularyError(file: source, line: lineNumber, problem: .badBase64(text(position..<space)))
                }
                i += 4
            }
            entries.append((UInt32(offset), UInt32(arena.count - offset), Rank(rank)))
            entryLines.append(Int32(lineNumber))
        }
        guard !entries.isEmpty else { throw VocabularyError(file: source, problem: .empty) }

        var maxRank: Rank = 0
        for entry in entries { maxRank = max(maxRank, entry.rank) }
        let rankLimit = Int(maxRank) + 1
        // Also keeps every rank below 2^30, which the three-byte character table relies on.
        guard rankLimit <= entries.count * 2 + 65_536, maxRank < 1 << 30 else {
            throw VocabularyError(file: source, problem: .ranksTooSparse(maxRank: maxRank, count: entries.count))
        }
        // Duplicate ranks: the first line that used each rank.
        var lineOfRank = [Int32](repeating: 0, count: rankLimit)
        for (index, entry) in entries.enumerated() {
            let first = lineOfRank[Int(entry.rank)]
            if first != 0 {
                throw VocabularyError(file: source, line: Int(entryLines[index]), problem: .duplicateRank(entry.rank, firstLine: Int(first)))
            }
            lineOfRank[Int(entry.rank)] = entryLines[index]
        }
        let table = arena.withUnsafeBytes { arenaBytes in
            entries.withUnsafeBufferPointer { RankTable(arena: arenaBytes, entries: $0, rankLimit: rankLimit) }
        }
        // Duplicate tokens: a token whose lookup finds another rank.
        try arena.withUnsafeBufferPointer { arenaBuffer throws(VocabularyError) in
            for (index, entry) in entries.enumerated() {
                let found = table.rank(arenaBuffer.baseAddress! + Int(entry.offset), Int(entry.length))
                if found != entry.rank {
                    let lines = [Int(lineOfRank[Int(found)]), Int(entryLines[index])].sorted()
                    throw VocabularyError(file: source, line: lines[1], problem: .duplicateToken(firstLine: lines[0]))
                }
            }
        }
        for byte in 0...255 where table.byteRanks[byte] == RankTable.noRank {
            throw VocabularyError(file: source, problem: .missingByte(UInt8(byte)))
        }
        return table
    }
}
