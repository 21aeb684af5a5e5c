/// Block layout of every ggml tensor type: elements per block and bytes per block (formats.md §3,
/// `sizeof` of the structs in ggml-common.h).
public struct GGMLTypeLayout: Sendable, Equatable {
    /// Elements per block (1 for plain types).
    public let blockElements: Int
    /// Bytes per block.
    public let blockBytes: Int

    static let table: [Int: GGMLTypeLayout] = [
        0: .init(1, 4), 1: .init(1, 2), 30: .init(1, 2), 24: .init(1, 1), 25: .init(1, 2), 26: .init(1, 4),
        27: .init(1, 8), 28: .init(1, 8),
        2: .init(32, 18), 3: .init(32, 20), 6: .init(32, 22), 7: .init(32, 24), 8: .init(32, 34), 9: .init(32, 36),
        10: .init(256, 84), 11: .init(256, 110), 12: .init(256, 144), 13: .init(256, 176), 14: .init(256, 210),
        15: .init(256, 292),
        16: .init(256, 66), 17: .init(256, 74), 18: .init(256, 98), 19: .init(256, 50), 20: .init(32, 18),
        21: .init(256, 110), 22: .init(256, 82), 23: .init(256, 136), 29: .init(256, 56),
        34: .init(256, 54), 35: .init(256, 66), 39: .init(32, 17), 40: .init(64, 36), 41: .init(128, 18),
        42: .init(64, 18),
    ]

    init(_ blockElements: Int, _ blockBytes: Int) {
        self.blockElements = blockElements
        self.blockBytes = blockBytes
    }

    /// The layout of ggml type `id`, or nil for an id ggml does not define.
    public static func of(_ id: Int) -> GGMLTypeLayout? { table[id] }

    /// The `ElementType` a GGUF tensor of type `id` is recorded with: plain types by name, the rest `.ggml(id)`.
    public static func elementType(_ id: Int) -> ElementType {
        switch id {
        case 0: return .f32
        case 1: return .f16
        case 30: return .bf16
        case 24: return .i8
        case 25: return .i16
        case 26: return .i32
        case 27: return .i64
        case 28: return .f64
        default: return .ggml(id)
        }
    }
}
