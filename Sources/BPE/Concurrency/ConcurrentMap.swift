import Dispatch
import Synchronization

/// `body(0)`, `body(1)`, … `body(count - 1)` on up to `threads` threads, each index handed to one
/// worker as it becomes free; the results in index order.
package func concurrentMap<T>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let results = ResultSlots<T>(count: count)
    let counter = Atomic<Int>(0)  // the next index to hand out
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
        while true {
            let index = counter.wrappingAdd(1, ordering: .relaxed).oldValue
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
        get {
            assert(index >= 0 && index < count)
            return base[index]
        }
        set {
            assert(index >= 0 && index < count)
            base[index] = newValue
        }
    }
}

/// Input bytes that concurrent workers only read, valid for the whole concurrent section.
struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}

/// Where concurrent workers write ids, each to a range of its own.
struct SharedTokens: @unchecked Sendable {
    let base: UnsafeMutablePointer<Rank>
}
