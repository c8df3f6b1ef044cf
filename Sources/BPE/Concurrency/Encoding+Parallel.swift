import Dispatch
#if canImport(Glibc)
import Glibc
#endif

extension Encoding {
    /// Whether `text` may be cut before offset `i` (see `safeCuts`): `text[i - 1]` is `\n`, and
    /// both `text[i - 2]` and `text[i]` are visible ASCII characters (`!` to `~`), `text[i]` not `/`.
    @inline(__always)
    static func isSafeCut(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let before = text[i - 2], next = text[i]
        return text[i - 1] == 0x0A && before > 0x20 && before < 0x7F && next > 0x20 && next < 0x7F && next != 0x2F
    }

    /// Byte offsets where `text` may be cut so that encoding the parts separately and concatenating
    /// the ids gives exactly the ids of the whole: after a `\n` that follows a visible ASCII
    /// character and precedes one other than `/` (`…x\nY…`, `…);\n}…`, `…>\n<…`).
    ///
    /// Why this is safe for all three built-in patterns. The character `x` before the `\n` is not
    /// whitespace, so the piece holding `x` either ends at `x` or, after punctuation, goes on only
    /// through `[\r\n/]*` (o200k) or `[\r\n]*+` (cl100k). No alternative takes a `\n` and then a
    /// visible character other than `/` (the optional one-character prefixes before letters or
    /// punctuation exclude `\n`; the other alternatives that take `\n` take only whitespace), so,
    /// `Y` being neither whitespace nor `/`, the piece holding the `\n` ends with it: the whole
    /// text has a piece boundary there. That piece is the same whether the text ends after the
    /// `\n` or goes on: taken with the punctuation either way, or alone (o200k `\s*[\r\n]+` either
    /// way; cl100k `\s*[\r\n]` before `Y`, `\s++$` at the end; r50k `\s` before `Y`, `\s++$` at
    /// the end). The patterns have no look-behind, so the pieces after the cut depend only on the
    /// text after it. Special tokens contain no `\n`. `ParallelTests` check the rule on generated
    /// and fixture text with cuts at every allowed place, and on every pair of visible ASCII
    /// characters around a `\n`. Custom patterns are never cut.
    /// - Complexity: O(n).
    func safeCuts(_ text: UnsafeBufferPointer<UInt8>, every spacing: Int) -> [Int] {
        guard preTokenizer.scanner != nil, text.count > spacing else { return [] }
        var cuts = [Int]()
        var next = spacing
        var i = max(2, next)
        while i < text.count {
            if Encoding.isSafeCut(text, i) {
                cuts.append(i)
                next = i + spacing
                i = next
            } else {
                i += 1
            }
        }
        return cuts
    }

    /// Encodes one long text on up to `threads` threads: the text is cut at safe places (see
    /// `safeCuts`) into parts of at least `minimumPart` bytes, the parts are encoded concurrently,
    /// and their ids concatenated — the same ids as ``encode(_:allowedSpecial:disallowedSpecial:)``.
    public func encodeParallel(_ text: String, threads: Int, allowedSpecial: SpecialTokenSet = .none,
                               disallowedSpecial: SpecialTokenSet = .all, minimumPart: Int = 1 << 20) throws(EncodingError) -> [Rank] {
        try Encoding.withUTF8(text) { buffer throws(EncodingError) in
            try encodeParallel(utf8: buffer, threads: threads, allowedSpecial: allowedSpecial,
                               disallowedSpecial: disallowedSpecial, minimumPart: minimumPart)
        }
    }

    /// ``encodeParallel(_:threads:allowedSpecial:disallowedSpecial:minimumPart:)`` on valid UTF-8 bytes.
    func encodeParallel(utf8 buffer: UnsafeBufferPointer<UInt8>, threads: Int, allowedSpecial: SpecialTokenSet,
                        disallowedSpecial: SpecialTokenSet, minimumPart: Int) throws(EncodingError) -> [Rank] {
        do {
            let spacing = max(minimumPart, buffer.count / max(1, threads * 4))
            let cuts = threads > 1 ? safeCuts(buffer, every: spacing) : []
            guard !cuts.isEmpty else {
                return try encode(utf8: buffer, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial)
            }
            let bounds = [0] + cuts + [buffer.count]
            let parts = bounds.count - 1
            let shared = SharedBytes(buffer: buffer)  // read-only while the workers run
            let results = concurrentMap(count: parts, threads: threads) { part in
                let slice = UnsafeBufferPointer(rebasing: shared.buffer[bounds[part]..<bounds[part + 1]])
                return Result { () throws(EncodingError) in
                    try self.encode(utf8: slice, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial)
                }
            }
            var ids = [Rank]()
            var total = 0
            for case let .success(partIDs) in results { total += partIDs.count }
            ids.reserveCapacity(total)
            for part in 0..<parts {
                switch results[part] {
                case let .success(partIDs): ids += partIDs
                case let .failure(error):
                    // Report a disallowed special token at its offset in the whole text.
                    if case let .disallowedSpecialToken(token, offset) = error {
                        throw .disallowedSpecialToken(token, byteOffset: offset + bounds[part])
                    }
                    throw error
                }
            }
            return ids
        }
    }

    /// The last safe cut (see `safeCuts`) in `text[from..<text.count]`, or nil.
    func lastSafeCut(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard preTokenizer.scanner != nil else { return nil }
        var i = text.count - 1
        while i >= max(2, from) {
            if Encoding.isSafeCut(text, i) { return i }
            i -= 1
        }
        return nil
    }

    /// Encodes many texts on up to `threads` threads (ordinary text: special-token text is plain
    /// text); results in input order, equal to encoding each with ``encodeOrdinary(_:)``.
    public func encodeBatch(_ texts: [String], threads: Int) throws(EncodingError) -> [[Rank]] {
        let results = concurrentMap(count: texts.count, threads: threads) { index in
            Result { () throws(EncodingError) in try self.encodeOrdinary(texts[index]) }
        }
        return try results.map { result throws(EncodingError) in try result.get() }
    }
}

/// `body(0)`, `body(1)`, … `body(count - 1)` on up to `threads` threads, each index handed to one
/// worker as it becomes free; the results in index order.
public func concurrentMap<T>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let results = ResultSlots<T>(count: count)
    let counter = WorkCounter()
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
        while true {
            let index = counter.next()
            guard index < count else { return }
            results[index] = body(index)
        }
    }
    return (0..<count).map { results[$0]! }
}

/// Slots that concurrent workers fill, each index written by exactly one worker before it is read.
final class ResultSlots<Value>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Value?>
    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: max(count, 1))
        self.count = count
    }
    let count: Int
    deinit { base.deinitialize(count: max(count, 1)); base.deallocate() }
    subscript(index: Int) -> Value? {
        get { base[index] }
        set { base[index] = newValue }
    }
}

/// Input bytes that concurrent workers only read, valid for the whole concurrent section.
struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}

/// Hands out 0, 1, 2, … to concurrent workers.
final class WorkCounter: @unchecked Sendable {
    private let value = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() {
        value.initialize(to: 0)
        pthread_mutex_init(lock, nil)
    }
    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
        value.deallocate()
    }
    func next() -> Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        value.pointee += 1
        return value.pointee - 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Encoding {
    /// Encodes many texts on all cores with structured concurrency (a task group, about four
    /// batches per core), as ordinary text; results in input order, equal to ``encodeOrdinary(_:)``
    /// of each. Checks for cancellation between texts and throws `CancellationError` when its
    /// task is cancelled.
    public func encodeBatch(_ texts: [String]) async throws -> [[Rank]] {
        try await batch(texts) { try self.encodeOrdinary($0) }
    }

    /// ``countTokens(_:)`` of many texts on all cores; in input order; cancellable like
    /// ``encodeBatch(_:)``.
    public func countTokensBatch(_ texts: [String]) async throws -> [Int] {
        try await batch(texts) { try self.countTokens($0) }
    }

    func batch<T: Sendable>(_ texts: [String], _ body: @escaping @Sendable (String) throws -> T) async throws -> [T] {
        guard !texts.isEmpty else { return [] }
        let cores = ProcessInfoCores.count
        let size = max(1, (texts.count + cores * 4 - 1) / (cores * 4))
        return try await withThrowingTaskGroup(of: (Int, [T]).self) { group in
            for start in stride(from: 0, to: texts.count, by: size) {
                let part = Array(texts[start..<min(start + size, texts.count)])
                group.addTask {
                    var out = [T]()
                    out.reserveCapacity(part.count)
                    for text in part {
                        try Task.checkCancellation()
                        out.append(try body(text))
                    }
                    return (start, out)
                }
            }
            var results = [[T]?](repeating: nil, count: (texts.count + size - 1) / size)
            for try await (start, out) in group { results[start / size] = out }
            return results.flatMap { $0 ?? [] }
        }
    }
}

/// The number of online processors (without Foundation).
enum ProcessInfoCores {
    static var count: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
