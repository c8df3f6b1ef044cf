import Synchronization

/// The ``PieceCache``s of one encoding, lent to one encode call at a time, so that what one call
/// learnt (whole-token answers, merges of short pieces) serves the next, on any thread.
///
/// At most ``maximumKept`` caches are kept (256 KiB each, and a memo of 64 KiB to 4.1 MiB); a call
/// that finds none builds one, and a cache given back beyond that number is freed. Concurrent calls
/// each get their own.
final class PieceCachePool: Sendable {
    static let maximumKept = 8
    /// Texts shorter than this are encoded without a cache: the lending (a lock, the call's set-up)
    /// costs more than it saves. From here on a text met again gains (UI strings of 1.5–3 KB
    /// encoded again: English 1.7x, Hindi, Japanese, Khmer, Russian and Thai 4.2–8.8x, with the
    /// memo in full use for such calls), and new ones pay only the first touches of the cache's
    /// pages, once per process.
    static let minimumText = 1024

    private let caches = Mutex<[PieceCache]>([])

    init() {}

    deinit {
        caches.withLock { kept in
            for cache in kept { cache.deallocate() }
        }
    }

    /// A cache for one encode call of `textLength` bytes (its per-call entries empty); give it
    /// back with ``giveBack(_:)``.
    func borrow(textLength: Int) -> PieceCache {
        let cache = caches.withLock { $0.popLast() } ?? PieceCache()
        cache.startCall(textLength: textLength)
        return cache
    }

    /// Returns a cache from ``borrow(textLength:)`` when the call is done with it.
    func giveBack(_ cache: PieceCache) {
        let kept = caches.withLock { kept in
            guard kept.count < PieceCachePool.maximumKept else { return false }
            kept.append(cache)
            return true
        }
        if !kept { cache.deallocate() }
    }
}
