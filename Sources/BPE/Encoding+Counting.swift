#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The size and token count of one input.
public struct TokenCount: Sendable, Equatable {
    public var bytes: Int
    public var tokens: Int
    public init(bytes: Int, tokens: Int) {
        self.bytes = bytes
        self.tokens = tokens
    }
}

/// Why an input could not be counted.
public struct CountError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

extension Encoding {
    /// Counts the tokens of everything readable from `fd`, as ``encode(bytes:disallowedSpecial:)``
    /// with special-token text as plain text would, without holding the whole input.
    ///
    /// The input is read in chunks of `chunkSize` bytes; the text up to the last safe cut (after a
    /// `\n` that follows a visible ASCII character, before an ASCII letter; see `safeCuts`) is
    /// counted and dropped, on `threads` threads. Memory stays near `chunkSize` while such places
    /// keep coming (ordinary text and code); a long stretch without one is held whole. Invalid UTF-8
    /// follows tiktoken's `_encode_bytes`: from the first invalid byte on, the rest of the input is
    /// one piece, so it is read to the end and encoded at once.
    /// - Parameter path: names the input in errors.
    public func countTokens(fileDescriptor fd: Int32, path: String, threads: Int = 1,
                            chunkSize: Int = 8 << 20) throws(CountError) -> TokenCount {
        var pending = [UInt8]()
        var tokens = 0
        var bytes = 0
        var checked = 0      // pending[..<checked] is valid UTF-8 ending on a character boundary
        var searched = 0     // no safe cut starts before this offset in pending
        var invalid = false
        var chunk = [UInt8](repeating: 0, count: max(chunkSize, 1 << 12))
        func fail(_ error: EncodingError) -> CountError { CountError(path: path, reason: error.description) }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CountError(path: path, reason: String(cString: strerror(errno)))
            }
            let atEnd = n == 0
            pending.append(contentsOf: chunk[0..<n])
            bytes += n
            if invalid && !atEnd { continue }
            if !invalid {
                let valid = pending.withUnsafeBufferPointer { buffer in
                    checked + UTF8Validation.validPrefixLength(UnsafeBufferPointer(rebasing: buffer[checked...]))
                }
                let incompleteTail = !atEnd && pending.count - valid <= 3
                    && StreamingDecoder.completeLength(Array(pending[valid...])) == 0
                if valid < pending.count && !incompleteTail {
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

    /// ``countTokens(fileDescriptor:path:threads:chunkSize:)`` for a file.
    public func countTokens(file path: String, threads: Int = 1, chunkSize: Int = 8 << 20) throws(CountError) -> TokenCount {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CountError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try countTokens(fileDescriptor: fd, path: path, threads: threads, chunkSize: chunkSize)
    }
}
