extension Encoding {
    /// Encodes one long text on up to `threads` threads: the text is cut at safe places (see
    /// `safeCuts`) into parts of at least `minimumPart` bytes (up to four per thread, the same
    /// number for each where the text is long enough), the parts are encoded concurrently, and
    /// their ids concatenated — the same ids as ``encode(_:allowedSpecial:disallowedSpecial:)``.
    public func encodeParallel(_ text: String, threads: Int, allowedSpecial: SpecialTokenSet = .none,
                               disallowedSpecial: SpecialTokenSet = .all, minimumPart: Int = 1 << 20) throws(TokenEncodingError) -> [Rank] {
        try Encoding.withUTF8(text) { buffer throws(TokenEncodingError) in
            try encodeParallel(utf8: buffer, threads: threads, allowedSpecial: allowedSpecial,
                               disallowedSpecial: disallowedSpecial, minimumPart: minimumPart)
        }
    }

    /// ``encodeParallel(_:threads:allowedSpecial:disallowedSpecial:minimumPart:)`` on valid UTF-8 bytes.
    func encodeParallel(utf8 buffer: UnsafeBufferPointer<UInt8>, threads: Int, allowedSpecial: SpecialTokenSet,
                        disallowedSpecial: SpecialTokenSet, minimumPart: Int) throws(TokenEncodingError) -> [Rank] {
        do {
            let cuts = Encoding.partSpacing(length: buffer.count, threads: threads, minimumPart: minimumPart)
                .map { preTokenizer.safeCuts(buffer, every: $0) } ?? []
            guard !cuts.isEmpty else {
                return try encode(utf8: buffer, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial)
            }
            let bounds = [0] + cuts + [buffer.count]
            let parts = bounds.count - 1
            let shared = SharedBytes(buffer: buffer)  // read-only while the workers run
            let results = concurrentMap(count: parts, threads: threads) { part in
                let slice = UnsafeBufferPointer(rebasing: shared.buffer[bounds[part]..<bounds[part + 1]])
                return Result { () throws(TokenEncodingError) in
                    try self.encode(utf8: slice, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial)
                }
            }
            var partIDs = [[Rank]]()
            partIDs.reserveCapacity(parts)
            for part in 0..<parts {
                switch results[part] {
                case let .success(ids): partIDs.append(ids)
                case let .failure(error):
                    // Report a disallowed special token at its offset in the whole text.
                    if case let .disallowedSpecialToken(token, offset) = error {
                        throw .disallowedSpecialToken(token, byteOffset: offset + bounds[part])
                    }
                    throw error
                }
            }
            return Encoding.concatenate(partIDs, threads: threads)
        }
    }

    /// The parts' ids one after another, copied on up to `threads` threads: a copy of a long
    /// text's ids (and the page faults of the array it fills) on one thread while the others
    /// wait would cost a share of what the parts gained.
    /// - Complexity: O(n) for n ids in all, over `threads` threads.
    static func concatenate(_ parts: [[Rank]], threads: Int) -> [Rank] {
        let starts = parts.reduce(into: [0]) { $0.append($0.last! + $1.count) }  // each part's first index, then the total
        let total = starts.last!
        guard threads > 1, parts.count > 1, total >= 1 << 16 else { return Array(parts.joined()) }
        return [Rank](unsafeUninitializedCapacity: total) { buffer, initialized in
            Encoding.adviseHugePages(buffer.baseAddress!, capacity: total)
            let target = SharedTokens(base: buffer.baseAddress!)
            _ = concurrentMap(count: parts.count, threads: threads) { part in
                parts[part].withUnsafeBufferPointer { ids in
                    guard let source = ids.baseAddress else { return }
                    (target.base + starts[part]).initialize(from: source, count: ids.count)
                }
            }
            initialized = total
        }
    }

    /// How far apart the cuts of a text of `length` bytes go for `threads` threads (nil: not cut):
    /// a whole number of parts per thread (up to four, so a slow part can be balanced by the
    /// others), each of at least `minimumPart` bytes; a text too short for one part per thread is
    /// cut into as many such parts as fit, when that is two or more.
    /// - Complexity: O(1).
    static func partSpacing(length: Int, threads: Int, minimumPart: Int) -> Int? {
        guard threads > 1, minimumPart > 0 else { return nil }
        let perThread = min(4, length / minimumPart / threads)  // not threads * minimumPart: no overflow
        let parts = perThread >= 1 ? threads * perThread : length / minimumPart
        guard parts >= 2 else { return nil }
        return (length + parts - 1) / parts
    }

    /// Encodes many texts on up to `threads` threads (ordinary text: special-token text is plain
    /// text); results in input order, equal to encoding each with ``encodeOrdinary(_:)``.
    public func encodeBatch(_ texts: [String], threads: Int) throws(TokenEncodingError) -> [[Rank]] {
        let results = concurrentMap(count: texts.count, threads: threads) { index in
            Result { () throws(TokenEncodingError) in try self.encodeOrdinary(texts[index]) }
        }
        return try results.map { result throws(TokenEncodingError) in try result.get() }
    }
}
