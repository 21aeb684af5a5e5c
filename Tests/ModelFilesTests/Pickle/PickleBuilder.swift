@testable import FileFormats
@testable import ModelFiles

/// Writes pickle opcodes by hand for crafted tests, and renders unpickled graphs as Python-like text.
struct PickleBuilder {
    var bytes: [UInt8] = [0x80, 0x02]

    mutating func op(_ code: UInt8) { bytes.append(code) }
    mutating func raw(_ more: [UInt8]) { bytes += more }
    mutating func mark() { op(0x28) }
    mutating func global(_ module: String, _ name: String) { op(0x63); bytes.append("\(module)\n\(name)\n") }
    mutating func string(_ text: String) { op(0x58); bytes.appendLE(UInt32(text.utf8.count)); bytes.append(text) }
    mutating func int(_ value: Int) { op(0x4A); bytes.appendLE(Int32(value)) }
    mutating func tuple(_ values: [Int]) { mark(); for value in values { int(value) }; op(0x74) }
    mutating func stop() { op(0x2E) }

    /// `{name: _rebuild_tensor_v2(('storage', torch.<storageClass>, key, 'cpu', numel), offset, size, stride, False,
    /// OrderedDict())}` — exactly what torch.save writes for one tensor of a dict.
    static func tensorDict(name: String = "w", storageClass: String = "FloatStorage", key: String = "0", numel: Int,
                           offset: Int = 0, size: [Int], stride: [Int]) -> [UInt8] {
        var pickle = PickleBuilder()
        pickle.op(0x7D)  // EMPTY_DICT
        pickle.mark()
        pickle.string(name)
        pickle.global("torch._utils", "_rebuild_tensor_v2")
        pickle.mark()
        pickle.mark()
        pickle.string("storage"); pickle.global("torch", storageClass); pickle.string(key); pickle.string("cpu")
        pickle.int(numel)
        pickle.op(0x74)  // TUPLE
        pickle.op(0x51)  // BINPERSID
        pickle.int(offset)
        pickle.tuple(size)
        pickle.tuple(stride)
        pickle.op(0x89)  // NEWFALSE
        pickle.global("collections", "OrderedDict"); pickle.op(0x29); pickle.op(0x52)
        pickle.op(0x74)  // TUPLE
        pickle.op(0x52)  // REDUCE
        pickle.op(0x75)  // SETITEMS
        pickle.stop()
        return pickle.bytes
    }
}

enum PickleRendering {
    static func render(_ graph: PickleGraph) -> String { render(graph.root, graph) }

    static func render(_ value: PickleValue, _ graph: PickleGraph) -> String {
        switch value {
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .bigInt(let bytes): return "big:" + bytes.map { String(format: "%02x", $0) }.joined()
        case .float(let number): return String(number)
        case .string(let text): return "'\(text)'"
        case .bytes(let bytes): return "b'" + bytes.map { String(format: "%02x", $0) }.joined() + "'"
        case .global(let module, let name): return "\(module).\(name)"
        case .container(let index):
            let box = graph.containers[index]
            let items = box.items.map { render($0, graph) }.joined(separator: ", ")
            switch box.kind {
            case .tuple: return "(\(items))"
            case .list: return "[\(items)]"
            case .set: return "set(\(items))"
            case .frozenSet: return "frozenset(\(items))"
            case .dict:
                let pairs = zip(box.keys, box.values).map { key, value in
                    (key.stringValue ?? render(key, graph)) + ": " + render(value, graph)
                }
                return "{" + pairs.joined(separator: ", ") + "}"
            case .call(let module, let name): return "\(module).\(name)(\(items))"
            case .persistentID: return "persistent(\(items))"
            }
        }
    }
}

import Foundation
