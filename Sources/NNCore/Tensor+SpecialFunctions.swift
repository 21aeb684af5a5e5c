extension Tensor {
    /// The error function erf(x) (`torch.erf`); d/dx = 2/√π · e^(−x²). ONNX's exact GELU decomposes into it.
    public func erf() -> Tensor {
        unary("ErfBackward0", { _erf($0) }, derivative: { g, x, _ in g * 1.1283791670955126 * _exp(-x * x) })
    }

    /// cos(x), elementwise (`torch.cos`); d/dx = −sin x.
    public func cos() -> Tensor {
        unary("CosBackward0", { Float(_cos(Double($0))) }, derivative: { g, x, _ in -g * Float(_sin(Double(x))) })
    }

    /// sin(x), elementwise (`torch.sin`); d/dx = cos x.
    public func sin() -> Tensor {
        unary("SinBackward0", { Float(_sin(Double($0))) }, derivative: { g, x, _ in g * Float(_cos(Double(x))) })
    }
}
