import Foundation
import Testing

/// The inference-example executable prints the recorded reply exactly as a full decode would,
/// with its channel headings, and no broken characters on the way.
@Suite struct InferenceExampleTests {
    @Test func printsTheReplyAsItArrives() throws {
        let binary = CLITests.binary.deletingLastPathComponent().appendingPathComponent("inference-example")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--delay-ms", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self)
                == "\n[ANALYSIS] The user wants the forecast.\n[FINAL] Tokyo 🌦️ 18°C — 東京は雨です。 Nairobi ☀️ 27°C. Karibu! 👋🏽\n")
    }
}
