/// What went wrong rendering or parsing a harmony conversation.
public struct HarmonyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
