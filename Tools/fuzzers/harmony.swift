// The Harmony event parser on mutated completions: rendered conversations with control tokens
// dropped, duplicated, swapped or inserted, cut anywhere, and random ids. Recovering never throws,
// every id is in exactly one event, each message's text is its deltas, and strict mode never traps.
import BPE
@testable import Harmony

let harmony = try! HarmonyEncoding.load()
let bases: [[Rank]] = {
    let tool = ToolDescription(name: "get_weather", description: "Weather.",
                               parameters: try! JSONValue.parse(#"{"type": "object", "properties": {"city": {"type": "string"}}}"#))
    let conversations = [
        Conversation([Message(author: Author(.system), content: [.system(SystemContent())]),
                      Message(.user, "Weather in Oslo? 👋🏽"),
                      Message(.assistant, "Need a tool.", channel: "analysis"),
                      Message(author: Author(.assistant), content: [.text(#"{"city": "Oslo"}"#)], recipient: "functions.get_weather",
                              channel: "commentary", contentType: "<|constrain|>json"),
                      Message(author: Author(.tool, name: "functions.get_weather"), content: [.text("-3 C")], recipient: "assistant",
                              channel: "commentary"),
                      Message(.assistant, "It is −3 °C in Oslo.", channel: "final")]),
        Conversation([Message(author: Author(.developer), content: [.developer(DeveloperContent(instructions: "Be brief.", functions: [tool]))]),
                      Message(.user, "東京の天気は？"), Message(.assistant, "晴れ。", channel: "final")]),
    ]
    return conversations.map { try! harmony.renderForTraining($0) }
}()
let controls: [Rank] = [200_006, 200_007, 200_008, 200_005, 200_003, 200_012, 200_002]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let first = bytes.first else { return 0 }
    var ids = bases[Int(first) % bases.count]
    var i = 1
    while i + 2 < bytes.count, !ids.isEmpty {
        let at = Int(bytes[i + 1]) * ids.count / 256
        let value = Rank(bytes[i + 2])
        switch bytes[i] % 6 {
        case 0: ids.remove(at: at)
        case 1: ids.insert(ids[at], at: at)
        case 2: ids.swapAt(at, Int(value) * ids.count / 256)
        case 3: ids.insert(controls[Int(value) % controls.count], at: at)
        case 4: ids = Array(ids[..<at])
        default: ids.insert(value << 10 | Rank(bytes[i + 1]), at: at)  // anywhere in 0..<262144, some unknown
        }
        i += 3
    }
    let role: Role? = first & 0x80 != 0 ? .assistant : nil
    var parser = HarmonyEventParser(harmony: harmony, role: role, tools: [ToolNamespace(name: "functions")], recover: true)
    var records = [HarmonyEventRecord]()
    for id in ids { records += try! parser.process(id) }
    records += try! parser.finish()
    require(records.flatMap(\.ids) == ids, "the events' ids are not the input: \(ids) → \(records.map { "\($0.event)".prefix(30) + " \($0.ids)" })")
    var text = ""
    for record in records {
        switch record.event {
        case let .contentDelta(delta, _), let .toolArgumentsDelta(delta): text += delta
        case let .messageEnd(message, _):
            require(message.text == text, "a message's text is not its deltas")
            text = ""
        default: break
        }
    }
    var strict = HarmonyEventParser(harmony: harmony, role: role, recover: false)
    for id in ids { if (try? strict.process(id)) == nil { return 0 } }
    _ = try? strict.finish()
    return 0
}
