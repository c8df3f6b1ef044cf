import Synchronization

/// The ``PieceCache``s of one encoding, lent to one encode call at a time, so that what one call
/// learnt (whole-token answers, merges of short pieces) serves the next, on any thread.
///
/// At most ``maximumKept`` caches are kept (256 KiB each, and a memo of 64 KiB to 4.1 MiB); a call
/// that finds none builds one, and a cache given back beyond that number is freed. Concurrent calls
/// each get their own.
final class PieceCachePool: Sendable {
    static let maximumKept = 8
    /// Texts of this many bytes or more are always lent a cache: a text met again gains (UI strings
    /// of 1.5–3 KB encoded again: English 1.7x, Hindi, Japanese, Khmer, Russian and Thai 4.2–8.8x,
    /// with the memo in full use for such calls), and new ones pay only the first touches of the
    /// cache's pages, once per process.
    ///
    /// Shorter texts are lent one only while they repeat (``lendsToSmallText()``): a
    /// new short text spends more on the misses in the cache's tables (the memo's lines are
    /// spread over 4 MiB) than its few pieces save, while one met again (a system prompt, a
    /// template, a chat's last turns) has its merged pieces answered by the memo.
    static let minimumText = 1024
    /// One text in this many under ``minimumText`` is lent a cache whatever the statistics say:
    /// its memo remembers the call's merged pieces, and their hits in later such calls show
    /// whether short texts repeat.
    static let smallSampleInterval = 16

    private let caches = Mutex<[PieceCache]>([])
    /// Texts under ``minimumText`` seen (for the samples).
    private let smallCalls = Atomic<Int>(0)
    /// Memo lookups (low 32 bits) and hits (high 32 bits) of recent texts under ``minimumText``
    /// that were lent a cache; halved once there are 64 lookups, so they follow what the texts do
    /// now. Approximate under concurrent calls, which only moves when caches are lent.
    private let smallMemo = Atomic<UInt64>(0)

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

    /// Whether an encode call of a text under ``minimumText`` bytes is to borrow a cache: one such
    /// call in ``smallSampleInterval`` is, and every one while at least a quarter of at least 16
    /// recent memo lookups of such calls hit. (A quarter, not the memo's eighth: in a short call a
    /// miss also pays for reaching the cache's tables.) Asked once per call, however many caches
    /// the call then borrows (a tokenizer.json's normalised parts each have their own), and each
    /// given back with ``giveBack(_:textLength:)``.
    /// - Complexity: O(1), no lock.
    func lendsToSmallText() -> Bool {
        let call = smallCalls.wrappingAdd(1, ordering: .relaxed).oldValue
        return call % PieceCachePool.smallSampleInterval == 0 || smallTextsRepeat
    }

    /// Whether recent texts under ``minimumText`` that were lent a cache found a quarter of their
    /// merged pieces in its memo (at least 16 lookups).
    var smallTextsRepeat: Bool {
        let memo = smallMemo.load(ordering: .relaxed)
        let lookups = memo & 0xFFFF_FFFF, hits = memo >> 32
        return lookups >= 16 && hits * 4 >= lookups
    }

    /// Memo lookups and hits of recent texts under ``minimumText`` that were lent a cache (for tests).
    var smallTextStatistics: (lookups: Int, hits: Int) {
        let memo = smallMemo.load(ordering: .relaxed)
        return (Int(memo & 0xFFFF_FFFF), Int(memo >> 32))
    }

    /// Returns a cache from ``borrow(textLength:)`` when a call of `textLength` bytes is done with
    /// it; a text under ``minimumText`` adds its memo lookups and hits to the small texts'
    /// statistics.
    func giveBack(_ cache: PieceCache, textLength: Int) {
        if textLength < PieceCachePool.minimumText {
            let (lookups, hits) = cache.callMemoCounts
            if lookups > 0 { countSmallText(lookups: lookups, hits: hits) }
        }
        giveBack(cache)
    }

    private func countSmallText(lookups: Int, hits: Int) {
        var old = smallMemo.load(ordering: .relaxed)
        while true {
            var recentLookups = old & 0xFFFF_FFFF, recentHits = old >> 32
            if recentLookups >= 64 { (recentLookups, recentHits) = (recentLookups / 2, recentHits / 2) }
            // A text under 1 KiB has fewer than 1,024 pieces: no field overflows.
            recentLookups += UInt64(min(lookups, 1024))
            recentHits += UInt64(min(hits, lookups, 1024))
            let (exchanged, original) = smallMemo.compareExchange(expected: old, desired: recentHits << 32 | recentLookups,
                                                                  ordering: .relaxed)
            if exchanged { return }
            old = original
        }
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
