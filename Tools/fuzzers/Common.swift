// Shared by every fuzz target (compiled into each one by Tools/fuzz).
import Foundation

/// Stops the fuzzer with a message when an invariant fails (libFuzzer saves the input).
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data("invariant failed at \(file):\(line): \(message())\n".utf8))
    abort()
}

/// The fuzz input as an array.
func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
