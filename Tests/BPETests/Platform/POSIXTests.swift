import Testing
@testable import BPE

/// The memory helpers that large outputs use.
@Suite struct POSIXTests {
    /// Only whole 2 MiB pages inside the range are advised, whatever its alignment.
    @Test func wholeHugePagesStayInsideTheRange() {
        let page = 2 << 20
        #expect(POSIX.wholeHugePages(address: page, count: 2 * page) == page..<(3 * page))
        #expect(POSIX.wholeHugePages(address: page + 16, count: 3 * page) == (2 * page)..<(4 * page))
        #expect(POSIX.wholeHugePages(address: page + 16, count: 2 * page) == (2 * page)..<(3 * page))
        #expect(POSIX.wholeHugePages(address: page + 16, count: page) == nil)
        #expect(POSIX.wholeHugePages(address: 16, count: page - 32) == nil)
        #expect(POSIX.wholeHugePages(address: page, count: 0) == nil)
    }

    /// An output is empty, with room for an id a byte in a small text and an id per two bytes in a
    /// large one (4 MiB of ids and more in huge pages, a hint that changes no content).
    @Test func outputsReserveForTheirText() {
        for bytes in [0, 10, 4096, 4097, 1 << 20, 3 << 20] {
            var output = Encoding.makeOutput(forBytes: bytes)
            #expect(output.isEmpty)
            #expect(output.capacity >= (bytes <= 4096 ? bytes + 1 : bytes / 2 + 1))
            output.append(contentsOf: [1, 2, 3])
            #expect(output == [1, 2, 3])
        }
    }
}
