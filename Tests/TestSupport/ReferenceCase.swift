import Foundation

/// PyTorch's reference cases (fixtures/reference): their names and the run each `.args` file describes.
public enum ReferenceCase {
    /// Every case, each with NAME.nn, .weights, .input, .args and .expect files.
    public static let names = ["seed_sequential", "seed_mlp_class", "seed_chimera", "seed_tied"] + generatedNames
        + convolutionalNames

    /// Convolutional cases from fixtures/real (train-mode BatchNorm, depthwise conv, pools) and the batch norm cases
    /// of scripts/reference/make_batchnorm_cases.py (BatchNorm1d, momentum=None); their expect files also hold
    /// `buffer/NAME` after the last step.
    public static let convolutionalNames = ["cnn_small", "bn1d_features_ce", "bn1d_sequence_cumulative_mse",
                                            "bn2d_momentum_none_sum"]

    /// Cases generated later with PyTorch 2.13 (other seeds, other networks, several steps, lr > 0, mse and
    /// cross-entropy, PyTorch's own spelling of the spec); each is described in Fixtures/reference/README.md.
    public static let generatedNames = [
        "gen_sequential_s11", "gen_tied_accumulate_lr", "gen_mlp_class_s5", "gen_chimera_s13",
        "gen_named_gelu_tanh_mse", "gen_embedding_flatten_ce", "gen_sigmoid_tanh_softmax", "gen_mysequential_dropout0",
        "gen_nest_ce", "gen_named_tie_3d", "gen_fixed_hidden_s2", "gen_layernorm2d_softmax0", "gen_pytorch_spelling",
        "gen_embedding_padding_flatten0", "gen_embedding_padneg_layernorm_batch", "gen_ordereddict",
        "gen_softmax_implicit_dim",
        "edge_softmax_large", "edge_ce_large", "edge_relu_zero", "edge_layernorm_constant", "edge_gelu_sigmoid_saturate",
        "edge_1d_input_ce", "edge_embedding_repeat", "edge_mse_single", "edge_softmax_dim0_3d",
        "book_centered", "book_mylinear_data",
    ]

    /// The `.args` file at `path` (`loss=sum steps=3 lr=0.0 zero_grad=False`) as a dictionary.
    public static func arguments(at path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: String] = [:]
        for pair in text.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }
}
