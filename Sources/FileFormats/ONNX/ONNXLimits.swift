/// Bounds on what reading an ONNX file may build, checked while parsing so a hostile file is refused with a message
/// instead of exhausting the stack or memory.
public enum ONNXLimits {
    /// How deeply sub-graphs (`If`/`Loop` bodies, graph attributes) may nest inside the main graph.
    public static let maxGraphDepth = 16
    /// The most nodes, attributes, values, tensors and dimensions one file may describe in total. Each costs at
    /// least two bytes of the file but about a hundred in memory, so this bounds the memory parsing can take.
    public static let maxItems = 20_000_000
    /// The most dimensions a tensor or a value's shape may have.
    public static let maxRank = 64
}
