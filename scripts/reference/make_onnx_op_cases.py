"""Single-op ONNX files and onnxruntime's outputs for the interpreter's unit tests.

Each case CASE writes Tests/ArchitecturesTests/Fixtures/onnx/ops/CASE.onnx (every operand an initializer, so the
float ones become parameters whose gradients the tests check by finite differences) and CASE.expect.safetensors
(each graph output by name, as onnxruntime computes it). Run with /work/venv/bin/python.
"""
import os
import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "../../Tests/ArchitecturesTests/Fixtures/onnx/ops")
rng = np.random.default_rng(7)


def f(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(np.float32)


def spaced(*shape):
    """Distinct values at least 2/n apart, so no two elements of a window tie within a finite-difference step."""
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) * (2.0 / n) - 1).astype(np.float32)


def i64(values):
    return np.array(values, dtype=np.int64)


def case(name, op, inputs, outputs=1, opset=18, **attrs):
    """inputs: list of numpy arrays (or None for an omitted optional input); outputs: count."""
    inits, names = [], []
    for k, value in enumerate(inputs):
        if value is None:
            names.append("")
            continue
        names.append(f"x{k}")
        inits.append(numpy_helper.from_array(value, f"x{k}"))
    out_names = [f"y{k}" for k in range(outputs)]
    node = helper.make_node(op, names, out_names, name=f"/{op}", **attrs)
    graph = helper.make_graph([node], name, [], [helper.make_empty_tensor_value_info(n) for n in out_names],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    # The outputs' types, as the onnx package infers them (onnxruntime needs them).
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {v.name: v.type for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    for output in model.graph.output:
        output.type.CopyFrom(types[output.name])
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    results = session.run(None, {})
    onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
    save_file({n: np.array(r, copy=True, order="C") for n, r in zip(out_names, results)},
              os.path.join(OUT, f"{name}.expect.safetensors"))


os.makedirs(OUT, exist_ok=True)
boolean = np.array([[True, False, True], [False, True, True]])
# Elementwise.
case("add", "Add", [f(2, 3), f(3)])
case("sub", "Sub", [f(2, 1, 3), f(4, 1)])
case("mul", "Mul", [f(2, 3), f(2, 3)])
case("div", "Div", [f(2, 3), f(3, low=0.5, high=2)])
case("pow", "Pow", [f(2, 3, low=0.2, high=2), np.array(3.0, dtype=np.float32)])
case("pow_tensor", "Pow", [f(2, 3, low=0.5, high=2), f(3, low=0.5, high=2)])
case("sqrt", "Sqrt", [f(2, 3, low=0.2, high=2)])
case("reciprocal", "Reciprocal", [f(2, 3, low=0.5, high=2)])
case("neg", "Neg", [f(2, 3)])
case("erf", "Erf", [f(2, 3, low=-2, high=2)])
case("tanh", "Tanh", [f(2, 3)])
case("sigmoid", "Sigmoid", [f(2, 3)])
case("relu", "Relu", [f(2, 3)])
case("exp", "Exp", [f(2, 3)])
case("log", "Log", [f(2, 3, low=0.2, high=2)])
case("cos", "Cos", [f(2, 3, low=-3, high=3)])
case("sin", "Sin", [f(2, 3, low=-3, high=3)])
case("clip", "Clip", [f(2, 3), np.array(-0.5, dtype=np.float32), np.array(0.4, dtype=np.float32)])
case("clip_opset6", "Clip", [f(2, 3)], opset=6, min=-0.3, max=0.2)
case("where", "Where", [boolean, f(2, 3), f(3)])
case("equal", "Equal", [i64([[1, 2, 3], [3, 2, 1]]), i64([2])])
case("and", "And", [boolean, np.array([True, False, True])])
case("isnan", "IsNaN", [np.array([1.0, np.nan, -np.inf, 0.0], dtype=np.float32)])
case("cast_to_int", "Cast", [np.array([1.7, -1.7, 3.0, -0.2], dtype=np.float32)], to=TensorProto.INT64)
case("cast_to_float", "Cast", [i64([[1, -2], [40000000, 5]])], to=TensorProto.FLOAT)
case("cast_to_bool", "Cast", [np.array([0.0, 2.5, -1.0], dtype=np.float32)], to=TensorProto.BOOL)
case("max", "Max", [f(2, 3), f(3), f(2, 1)])
case("leaky_relu", "LeakyRelu", [f(2, 3)], alpha=0.1)
case("not", "Not", [boolean])
case("int_arithmetic", "Div", [i64([7, -7, 9]), i64([2, 2, -4])])
# Products and normalisation.
case("matmul", "MatMul", [f(2, 3, 4), f(4, 5)])
case("matmul_batched", "MatMul", [f(2, 1, 3, 4), f(3, 4, 2)])
case("gemm", "Gemm", [f(3, 4), f(5, 4), f(5)], transB=1, alpha=0.5, beta=2.0)
case("gemm_transA", "Gemm", [f(4, 3), f(4, 5), f(1, 5)], transA=1)
case("softmax", "Softmax", [f(2, 3, 4)], axis=1)
case("softmax_opset11", "Softmax", [f(2, 3, 4)], opset=11, axis=1)
case("log_softmax", "LogSoftmax", [f(2, 5)])
case("layer_norm", "LayerNormalization", [f(2, 3, 4), f(4), f(4)], epsilon=1e-5)
case("layer_norm_axis1", "LayerNormalization", [f(2, 3, 4), f(3, 4), None], axis=1)
case("batch_norm", "BatchNormalization", [f(2, 3, 4, 4), f(3), f(3), f(3), f(3, low=0.5, high=2)], epsilon=1e-3)
case("conv", "Conv", [f(2, 4, 7, 6), f(6, 2, 3, 3), f(6)], pads=[1, 0, 1, 0], strides=[2, 1], group=2)
case("conv_asymmetric", "Conv", [f(1, 2, 5, 5), f(3, 2, 2, 3), None], pads=[0, 1, 1, 1], dilations=[2, 1])
case("conv_same_upper", "Conv", [f(1, 2, 6, 6), f(2, 2, 3, 3)], auto_pad="SAME_UPPER", strides=[2, 2])
case("conv_1d", "Conv", [f(2, 3, 9), f(4, 3, 3), f(4)], pads=[1, 1], strides=[2])
case("max_pool", "MaxPool", [spaced(2, 3, 7, 7)], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
case("max_pool_ceil", "MaxPool", [spaced(1, 2, 6, 6)], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
case("average_pool", "AveragePool", [f(2, 3, 6, 6)], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
case("average_pool_include_pad", "AveragePool", [f(1, 2, 5, 5)], kernel_shape=[2, 2], pads=[1, 1, 1, 1],
     count_include_pad=1)
case("global_average_pool", "GlobalAveragePool", [f(2, 3, 4, 5)])
# Reductions.
case("reduce_mean", "ReduceMean", [f(2, 3, 4), i64([-1])], keepdims=1)
case("reduce_mean_opset13", "ReduceMean", [f(2, 3, 4)], opset=13, axes=[0, 2], keepdims=0)
case("reduce_sum", "ReduceSum", [f(2, 3, 4), i64([1])], keepdims=0)
case("reduce_sum_all", "ReduceSum", [f(2, 3, 4)])
case("reduce_sum_int", "ReduceSum", [i64([[1, 2, 3], [4, 5, 6]]), i64([0])])
case("reduce_max", "ReduceMax", [f(2, 3, 4), i64([2])])
case("argmax", "ArgMax", [f(3, 4)], axis=1, keepdims=0)
case("cumsum", "CumSum", [i64([[1, 2, 3], [4, 5, 6]]), i64(1)])
# Shapes and indexing.
case("reshape", "Reshape", [f(2, 3, 4), i64([0, -1, 2])])
case("reshape_allowzero", "Reshape", [f(2, 3, 4), i64([4, 3, 2])], allowzero=1)
case("transpose", "Transpose", [f(2, 3, 4)], perm=[2, 0, 1])
case("transpose_default", "Transpose", [f(2, 3, 4)])
case("unsqueeze", "Unsqueeze", [f(2, 3), i64([0, -1])])
case("unsqueeze_opset11", "Unsqueeze", [f(2, 3)], opset=11, axes=[1])
case("squeeze", "Squeeze", [f(1, 3, 1, 2), i64([2])])
case("squeeze_all", "Squeeze", [f(1, 3, 1, 2)])
case("concat", "Concat", [f(2, 3), f(2, 1), f(2, 2)], axis=-1)
case("concat_int", "Concat", [i64([1, 2]), i64([3])], axis=0)
case("split", "Split", [f(2, 6), i64([1, 2, 3])], outputs=3, axis=1)
case("split_num_outputs", "Split", [f(7, 2)], outputs=3, axis=0, num_outputs=3)
case("split_opset11", "Split", [f(2, 5)], outputs=2, opset=11, axis=1, split=[2, 3])
case("slice", "Slice", [f(4, 5, 6), i64([1, -4]), i64([1000, -1]), i64([0, 2]), i64([2, 1])])
case("slice_negative_step", "Slice", [f(4, 5), i64([-1, 3]), i64([-1000, 0]), i64([0, 1]), i64([-2, -1])])
case("slice_int", "Slice", [i64([5, 6, 7, 8]), i64([1]), i64([3])])
case("gather", "Gather", [f(3, 5), i64([[0, -1], [2, 2]])], axis=1)
case("gather_rows", "Gather", [f(6, 4), i64([[5, 0, 2]])])
case("gather_int", "Gather", [i64([10, 20, 30]), i64(1)])
case("gather_elements", "GatherElements", [f(3, 4), i64([[0, 2, 1, 2], [2, 0, 0, -1]])], axis=0)
case("gather_nd", "GatherND", [f(2, 3, 4), i64([[1, 2], [0, 0], [1, 0]])])
case("gather_nd_batch", "GatherND", [f(2, 3, 4), i64([[[1], [2]], [[0], [0]]])], batch_dims=1)
case("expand", "Expand", [f(3, 1), i64([2, 1, 4])])
case("tile", "Tile", [f(2, 3), i64([2, 1])])
case("shape", "Shape", [f(2, 3, 4)], start=1)
case("constant", "Constant", [], value=numpy_helper.from_array(f(2, 2)))
case("constant_ints", "Constant", [], value_ints=[3, 1, 2])
case("constant_of_shape", "ConstantOfShape", [i64([2, 3])], value=numpy_helper.from_array(np.array([7], dtype=np.int64)))
case("range", "Range", [i64(2), i64(11), i64(3)])
case("range_float", "Range", [np.array(1.0, dtype=np.float32), np.array(-1.0, dtype=np.float32),
                              np.array(-0.5, dtype=np.float32)])
case("identity", "Identity", [f(2, 3)])
case("flatten", "Flatten", [f(2, 3, 4)], axis=2)
case("trilu", "Trilu", [f(2, 4, 5), i64(1)], upper=0)
case("trilu_upper", "Trilu", [f(4, 4)])
# Placing values.
case("scatter_nd", "ScatterND", [f(4, 3), i64([[2], [0]]), f(2, 3)])
case("scatter_nd_int", "ScatterND", [i64([[1, 2], [3, 4]]), i64([[1, 0]]), i64([9])])
case("scatter_elements", "ScatterElements", [f(3, 3), i64([[1, 0, 2], [0, 2, 1]]), f(2, 3)], axis=0)
case("pad", "Pad", [f(2, 3), i64([1, 0, 0, 2]), np.array(0.5, dtype=np.float32)])
case("pad_reflect", "Pad", [f(1, 2, 4), i64([0, 0, 2, 0, 0, 1])], mode="reflect")
case("pad_edge_axes", "Pad", [f(2, 3), i64([2, -1]), None, i64([1])], mode="edge")
case("pad_int", "Pad", [i64([[1, 2], [3, 4]]), i64([0, 1, 1, 0]), i64(7)])
# Activations of vision models, and opset 20's GELU.
case("hard_sigmoid", "HardSigmoid", [f(2, 3, low=-4, high=4)], alpha=0.2, beta=0.5)
case("hard_swish", "HardSwish", [f(2, 3, low=-4, high=4)])
case("softplus", "Softplus", [f(2, 3)])
case("gelu_tanh", "Gelu", [f(2, 3)], opset=20, approximate="tanh")
case("global_max_pool", "GlobalMaxPool", [spaced(2, 3, 4, 4)])
case("reduce_l2", "ReduceL2", [f(2, 3, 4), i64([1])])
case("prelu", "PRelu", [f(2, 3, 4), f(3, 1)])
case("elu", "Elu", [f(2, 3)], alpha=0.7)
case("selu", "Selu", [f(2, 3)])
case("instance_norm", "InstanceNormalization", [f(2, 3, 4, 5), f(3), f(3)], epsilon=1e-4)
