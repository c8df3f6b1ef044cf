import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// between two visible ASCII characters, the second not `/`; see `safeCuts`) is
    /// counted and dropped, on `threads` threads. Memory stays near `chunkSize` while such places
    /// keep coming (ordinary text and code); a long stretch without one is held whole. Invalid UTF-8
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
            read(fd, buffer.baseAddress!, buffer.count)
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
        func fail(_ error: EncodingError) -> CountError { CountError(path: path, reason: error.description) }
        while true {
            let n = reader(chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw CountError(path: path, reason: String(cString: strerror(errno)))
            }
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
                lastSafeCut(UnsafeBufferPointer(rebasing: buffer[..<checked]), from: searched)
            }
            guard let cut, cut > 0 else {
                searched = max(0, checked - 2)
                continue
            }
            do {
                tokens += try pending.withUnsafeBufferPointer { buffer throws(EncodingError) in
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
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CountError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        if threads > 1, size >= 4 << 20, let bounds = rangeBounds(fd: fd, size: size, parts: threads), bounds.count > 2 {
            let results = concurrentMap(count: bounds.count - 1, threads: bounds.count - 1) { part in
                var offset = bounds[part]
                let end = bounds[part + 1]
                return Result { () throws(CountError) in
                    try self.countTokens(path: path, threads: 1, chunkSize: chunkSize, stopAtInvalidUTF8: true) { buffer in
                        let n = pread(fd, buffer.baseAddress!, min(buffer.count, end - offset), off_t(offset))
                        if n > 0 { offset += n }
                        return n
                    }
                }
            }
            var total = TokenCount(bytes: 0, tokens: 0)
            var allValid = true
            for result in results {
                switch result {
                case let .success(count?): total.bytes += count.bytes; total.tokens += count.tokens
                case .success(nil): allValid = false
                case let .failure(error): throw error
                }
            }
            if allValid { return total }
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw CountError(path: path, reason: String(cString: strerror(errno))) }
        }
        return try countTokens(fileDescriptor: fd, path: path, threads: threads, chunkSize: chunkSize)
    }

    /// Offsets dividing a file into about `parts` ranges, each inner one a safe cut found in the
    /// megabyte after an even split point; nil when the pattern has no safe cuts.
    private func rangeBounds(fd: Int32, size: Int, parts: Int) -> [Int]? {
        guard preTokenizer.scanner != nil else { return nil }
        var bounds = [0]
        var window = [UInt8](repeating: 0, count: 1 << 20)
        for k in 1..<parts {
            let target = size * k / parts
            guard target > bounds.last! + 2 else { continue }
            let start = target - 2
            let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(start)) }
            guard n > 3 else { continue }
            let cut = window.withUnsafeBufferPointer { buffer -> Int? in
                let cuts = safeCuts(UnsafeBufferPointer(rebasing: buffer[0..<n]), every: 2)
                return cuts.first
            }
            if let cut, start + cut > bounds.last!, start + cut < size { bounds.append(start + cut) }
        }
        bounds.append(size)
        return bounds
    }
}
