/// A 4-ary min-heap of `UInt64` keys in caller-provided storage (half the levels of a binary
/// heap, and a node's four children share a cache line, which pays on megabyte pieces).
///
/// Capacity: at most 3n pushes happen for an n-byte piece (n - 1 initial pairs, then at most two
/// per merge, and there are at most n - 1 merges), so 3n keys always suffice.
struct MinHeap {
    private let storage: UnsafeMutablePointer<UInt64>
    /// How many keys `storage` holds (checked in debug builds).
    private let capacity: Int
    private(set) var count = 0

    init(storage: UnsafeMutablePointer<UInt64>, capacity: Int) {
        self.storage = storage
        self.capacity = capacity
    }

    @inline(__always)
    mutating func push(_ key: UInt64) {
        assert(count < capacity, "MinHeap: more pushes than its capacity")
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 2
            if storage[parent] <= key { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = key
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        guard count > 0 else { return nil }
        let top = storage[0]
        count -= 1
        if count > 0 {
            let key = storage[count]
            var i = 0
            while true {
                let first = 4 * i + 1
                if first >= count { break }
                var child = first
                var smallest = storage[first]
                let last = min(first + 4, count)
                var c = first + 1
                while c < last {
                    let v = storage[c]
                    if v < smallest { smallest = v; child = c }
                    c += 1
                }
                if key <= smallest { break }
                storage[i] = storage[child]
                i = child
            }
            storage[i] = key
        }
        return top
    }
}
