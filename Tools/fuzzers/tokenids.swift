// The CLI's id parser on arbitrary bytes: it parses or names the offending word; what it parses
// formats and parses back to the same ids.
@testable import BPE

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    do throws(TokenIDText.SyntaxError) {
        let ids = try TokenIDText.parse(bytes)
        require(ids.count <= (bytes.count + 1) / 2, "more ids than words")
        require((try? TokenIDText.parse(Array(TokenIDText.format(ids).utf8))) == ids, "format/parse round trip")
    } catch {
        require(error.byteOffset < bytes.count && !TokenIDText.isSeparator(bytes[error.byteOffset]),
                "error offset \(error.byteOffset) is not the start of a word")
        require(error.position <= error.byteOffset, "position \(error.position) beyond its byte offset")
    }
    return 0
}
