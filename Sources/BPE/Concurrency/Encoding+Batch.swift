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
        let cores = POSIX.processorCount
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
