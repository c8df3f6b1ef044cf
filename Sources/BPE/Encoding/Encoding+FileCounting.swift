import Synchronization

/// The size and token count of one input.
public struct TokenCount: Sendable, Equatable {
    /// UTF-8 bytes counted.
    public var bytes: Int
    /// Tokens counted.
    public var tokens: Int
    /// A count of `bytes` bytes and `tokens` tokens.
    public init(bytes: Int, tokens: Int) {
        self.bytes = bytes
        self.tokens = tokens
    }
}

/// Why an input could not be counted.
public struct CountError: Error, Sendable, CustomStringConvertible {
    /// The input the error is about.
    public let path: String
    /// What went wrong (the system's message).
    public let reason: String
    /// `path: reason`, one line.
    public var description: String { "\(path): \(reason)" }
}

extension Encoding {
    /// Counts the tokens of everything readable from `fd`, as ``encode(bytes:disallowedSpecial:)``
    /// with special-token text as plain text would, without holding the whole input.
    ///
    /// The input is read in chunks of `chunkSize` bytes; the text up to the last safe cut (a `\n`
    /// after a character that is not white space and before one, or before an indent and one; see
    /// `PreTokenizer+SafeCuts.swift`) is counted and dropped, on `threads` threads. Memory stays
    /// near `chunkSize` while such places keep coming (text of any script with line breaks,
    /// code); a long stretch without one is held whole. Invalid UTF-8
    /// follows tiktoken's `_encode_bytes`: from the first invalid byte on, the rest of the input is
    /// one piece, so it is read to the end and encoded at once.
    /// - Parameters:
    ///   - fd: an open file descriptor (a file, pipe or standard input), read to its end.
    ///   - path: names the input in errors.
    ///   - threads: how many threads count the chunks.
    ///   - chunkSize: how many bytes are read at a time.
    public func countTokens(fileDescriptor fd: Int32, path: String, threads: Int = 1,
                            chunkSize: Int = 8 << 20) throws(CountError) -> TokenCount {
        try countTokens(path: path, threads: threads, chunkSize: chunkSize, stopAtInvalidUTF8: false) { buffer in
            POSIX.read(fd, into: buffer)
        }!
    }

    /// The chunked counter over any reader (`read`-like: bytes read, 0 at the end, -1 on error).
    /// With `stopAtInvalidUTF8`, returns nil as soon as the input is found not to be UTF-8.
    func countTokens(path: String, threads: Int, chunkSize: Int, stopAtInvalidUTF8: Bool,
                     reader: (UnsafeMutableRawBufferPointer) -> Int) throws(CountError) -> TokenCount? {
        var pending = [UInt8]()
        var tokens = 0
        var bytes = 0
        var checked = 0      // pending[..<checked] is valid UTF-8 ending on a character boundary
        var searched = 0     // no safe cut starts before this offset in pending
        var invalid = false
        // Not zero-filled: only what `reader` writes is read, and a small input then touches only
        // the pages it fills instead of all `chunkSize` bytes.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 1 << 12), alignment: 16)
        defer { chunk.deallocate() }
        func fail(_ error: TokenEncodingError) -> CountError { CountError(path: path, reason: error.description) }
        while true {
            let n = reader(chunk)
            if n < 0 { throw CountError(path: path, reason: POSIX.lastErrorMessage) }
            let atEnd = n == 0
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            bytes += n
            if invalid && !atEnd { continue }
            if !invalid {
                let valid = pending.withUnsafeBufferPointer { buffer in
                    checked + UTF8Validation.validPrefixLength(UnsafeBufferPointer(rebasing: buffer[checked...]))
                }
                let incompleteTail = !atEnd && pending.count - valid <= 3
                    && StreamingDecoder.completeLength(Array(pending[valid...])) == 0
                if valid < pending.count && !incompleteTail {
                    if stopAtInvalidUTF8 { return nil }
                    invalid = true
                    if !atEnd { continue }
                } else {
                    checked = valid
                }
            }
            if atEnd {
                do {
                    tokens += try encode(bytes: pending, disallowedSpecial: .none).count
                } catch {
                    throw fail(error)
                }
                return TokenCount(bytes: bytes, tokens: tokens)
            }
            // Count the text before the last safe cut and drop it.
            let cut = pending.withUnsafeBufferPointer { buffer in
                preTokenizer.lastSafeCut(UnsafeBufferPointer(rebasing: buffer[..<checked]), from: searched)
            }
            guard let cut, cut > 0 else {
                searched = max(0, checked - 2)
                continue
            }
            do {
                tokens += try pending.withUnsafeBufferPointer { buffer throws(TokenEncodingError) in
                    try encodeParallel(utf8: UnsafeBufferPointer(rebasing: buffer[..<cut]), threads: threads,
                                       allowedSpecial: .none, disallowedSpecial: .none, minimumPart: 256 << 10)
                }.count
            } catch {
                throw fail(error)
            }
            pending.removeFirst(cut)
            checked -= cut
            searched = 0
        }
    }

    /// ``countTokens(fileDescriptor:path:threads:chunkSize:)`` for a file. With several threads, a
    /// large UTF-8 file is divided into one byte range per thread, each starting at a safe cut,
    /// and the ranges are counted independently (no hand-off between threads); a file that turns
    /// out not to be UTF-8 is counted again in one pass, as its raw-bytes semantics require.
    public func countTokens(file path: String, threads: Int = 1, chunkSize: Int = 8 << 20) throws(CountError) -> TokenCount {
        if threads > 1, let bounds = try splitFile(path, parts: threads, minimumSize: 4 << 20)?.bounds, bounds.count > 2 {
            let results = concurrentMap(count: bounds.count - 1, threads: bounds.count - 1) { part in
                Result { () throws(CountError) in
                    try self.countRange(path, bounds[part]..<bounds[part + 1], chunkSize: chunkSize)
                }
            }
            if let total = try Encoding.sum(results) { return total }
        }
        return try countWhole(path, threads: threads, chunkSize: chunkSize)
    }

    /// Counts many files on up to `threads` threads as one pool of work, so that no thread waits
    /// while another has work left: a regular file of at least twice `partSize` bytes is divided
    /// at safe cuts into parts of about `partSize`, every other file is one part, and each free
    /// thread takes the largest part not yet taken. A file whose parts turn out not to be UTF-8 is
    /// counted again in one pass. Results in the order of `paths`, each equal to
    /// ``countTokens(file:threads:chunkSize:)``'s.
    /// - Parameters:
    ///   - paths: the files, in the order of the results.
    ///   - threads: how many threads count.
    ///   - chunkSize: how many bytes are read at a time.
    ///   - partSize: about how large the parts of a divided file are.
    ///   - fileDone: called once with each file's index, when its last part is counted or it is
    ///     found not to open (on any thread).
    public func countTokens(files paths: [String], threads: Int, chunkSize: Int = 8 << 20, partSize: Int = 1 << 20,
                            fileDone: @Sendable (Int) -> Void = { _ in }) -> [Result<TokenCount, CountError>] {
        var split = [(file: Int, range: Range<Int>?, size: Int)]()   // range nil: the whole file, any kind
        var partsLeft = [Int](repeating: 1, count: paths.count)
        var results = [Result<TokenCount, CountError>?](repeating: nil, count: paths.count)
        for (file, path) in paths.enumerated() {
            do {
                let plan = try (threads > 1 ? splitFile(path, parts: 0, partSize: max(partSize, 1 << 16)) : nil)
                if let bounds = plan?.bounds, bounds.count > 2 {
                    for part in 0..<(bounds.count - 1) {
                        split.append((file, bounds[part]..<bounds[part + 1], bounds[part + 1] - bounds[part]))
                    }
                    partsLeft[file] = bounds.count - 1
                } else {
                    split.append((file, nil, plan?.size ?? 0))
                }
            } catch {
                results[file] = .failure(error)
                partsLeft[file] = 0
                fileDone(file)
            }
        }
        let tasks = split
        let order = tasks.indices.sorted { tasks[$0].size > tasks[$1].size }
        let remaining = Mutex(partsLeft)
        let counts = concurrentMap(count: order.count, threads: threads) { k -> Result<TokenCount?, CountError> in
            let task = tasks[order[k]]
            let result = Result { () throws(CountError) -> TokenCount? in
                guard let range = task.range else { return try self.countWhole(paths[task.file], threads: 1, chunkSize: chunkSize) }
                return try self.countRange(paths[task.file], range, chunkSize: min(chunkSize, max(range.count, 1 << 12)))
            }
            let last = remaining.withLock { left -> Bool in
                left[task.file] -= 1
                return left[task.file] == 0
            }
            if last { fileDone(task.file) }
            return result
        }
        var perFile = [[Result<TokenCount?, CountError>]](repeating: [], count: paths.count)
        for (k, index) in order.enumerated() { perFile[tasks[index].file].append(counts[k]) }
        for file in paths.indices where results[file] == nil {
            // A whole file's count is never nil; a split file not UTF-8 is counted again whole.
            results[file] = Result { () throws(CountError) in
                if let total = try Encoding.sum(perFile[file]) { return total }
                return try self.countWhole(paths[file], threads: threads, chunkSize: chunkSize)
            }
        }
        return results.map { $0! }
    }

    /// The sum of counted parts; nil when one of them was not UTF-8; the first error.
    private static func sum(_ parts: [Result<TokenCount?, CountError>]) throws(CountError) -> TokenCount? {
        var total = TokenCount(bytes: 0, tokens: 0)
        var allValid = true
        for part in parts {
            switch part {
            case let .success(count?): total.bytes += count.bytes; total.tokens += count.tokens
            case .success(nil): allValid = false
            case let .failure(error): throw error
            }
        }
        return allValid ? total : nil
    }

    /// A whole file (or pipe, or device) in one pass.
    private func countWhole(_ path: String, threads: Int, chunkSize: Int) throws(CountError) -> TokenCount {
        let fd = try Encoding.open(path)
        defer { POSIX.close(fd) }
        return try countTokens(fileDescriptor: fd, path: path, threads: threads, chunkSize: chunkSize)
    }

    /// The bytes `range` of a file, which starts at a safe cut (or 0) and ends at one (or the end);
    /// nil when they are not UTF-8.
    private func countRange(_ path: String, _ range: Range<Int>, chunkSize: Int) throws(CountError) -> TokenCount? {
        let fd = try Encoding.open(path)
        defer { POSIX.close(fd) }
        var offset = range.lowerBound
        return try countTokens(path: path, threads: 1, chunkSize: chunkSize, stopAtInvalidUTF8: true) { buffer in
            let wanted = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, range.upperBound - offset)])
            let n = POSIX.read(fd, into: wanted, at: offset)
            if n > 0 { offset += n }
            return n
        }
    }

    /// `path` opened for reading, or the error that names it.
    private static func open(_ path: String) throws(CountError) -> Int32 {
        do {
            return try POSIX.openForReading(path)
        } catch {
            throw CountError(path: path, reason: error.message)
        }
    }

    /// A regular file's size, and offsets dividing it into `parts` ranges (or, with `parts` 0,
    /// ranges of about `partSize` bytes), each inner one a safe cut: just `[0, size]` when it is
    /// under `minimumSize` bytes or the pattern has no safe cuts. Nil for anything else.
    /// The file is opened only when it is divided (a file counted whole is opened once, to count it).
    private func splitFile(_ path: String, parts: Int, minimumSize: Int = 0,
                           partSize: Int = 0) throws(CountError) -> (size: Int, bounds: [Int])? {
        guard let status = POSIX.status(path) else { throw CountError(path: path, reason: POSIX.lastErrorMessage) }
        guard status.isRegular else { return nil }
        let size = status.size
        let count = parts > 0 ? parts : size / max(partSize, 1)
        guard preTokenizer.hasSafeCuts, size >= max(minimumSize, 2), count > 1 else { return (size, [0, size]) }
        let fd = try Encoding.open(path)
        defer { POSIX.close(fd) }
        return (size, rangeBounds(fd: fd, size: size, parts: count))
    }

    /// Offsets dividing a file into about `parts` ranges, each inner one the first safe cut after
    /// an even split point (looked for in the next 64 KiB, then the next megabyte).
    private func rangeBounds(fd: Int32, size: Int, parts: Int) -> [Int] {
        var bounds = [0]
        var window = [UInt8](repeating: 0, count: 1 << 20)
        for k in 1..<parts {
            let target = size * k / parts
            guard target > bounds.last! + 2 else { continue }
            let start = target - 2
            for length in [1 << 16, 1 << 20] {
                let n = window.withUnsafeMutableBytes { POSIX.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length]), at: start) }
                guard n > 3 else { break }
                let cut = window.withUnsafeBufferPointer { buffer -> Int? in
                    let text = UnsafeBufferPointer(rebasing: buffer[0..<n])
                    return (2..<n).first { preTokenizer.isSafeCut(text, $0) }
                }
                if let cut {
                    if start + cut > bounds.last!, start + cut < size { bounds.append(start + cut) }
                    break
                }
                if n < length { break }
            }
        }
        bounds.append(size)
        return bounds
    }
}
