#!/usr/bin/env python3
"""Single-op Resize graphs for nnview's ONNX interpreter, in the form of make_onnx_op_cases.py (every operand an
initializer, onnxruntime's outputs beside each): Tests/ArchitecturesTests/Fixtures/onnx/ops/resize_*.

    scripts/reference/make_onnx_resize_cases.py Tests/ArchitecturesTests/Fixtures/onnx/ops

The output size is given by `sizes` (int64), so the only float initializer is the input, whose gradient the Swift
test checks by finite differences.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper
from safetensors.numpy import save_file

OUT = sys.argv[1]
rng = np.random.default_rng(1616)


def case(name, x, sizes, **attrs):
    inits = [numpy_helper.from_array(x, "x0"), numpy_helper.from_array(np.array(sizes, dtype=np.int64), "x3")]
    node = helper.make_node("Resize", ["x0", "", "", "x3"], ["y0"], name="/Resize", **attrs)
    output = helper.make_tensor_value_info("y0", onnx.TensorProto.FLOAT, sizes)
    graph = helper.make_graph([node], name, [], [output], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (result,) = session.run(None, {})
    onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
    save_file({"y0": np.ascontiguousarray(result)}, os.path.join(OUT, f"{name}.expect.safetensors"))


def spaced(*shape):
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) * (2.0 / n) - 1).astype(np.float32)


case("resize_nearest", spaced(1, 2, 3, 4), [1, 2, 6, 8], mode="nearest")
case("resize_nearest_asymmetric_floor", spaced(1, 2, 3, 4), [1, 2, 7, 5], mode="nearest",
     coordinate_transformation_mode="asymmetric", nearest_mode="floor")
case("resize_nearest_down_prefer_ceil", spaced(1, 2, 5, 6), [1, 2, 2, 3], mode="nearest",
     nearest_mode="round_prefer_ceil")
case("resize_linear", spaced(1, 2, 3, 4), [1, 2, 6, 7], mode="linear")
case("resize_linear_align_corners", spaced(1, 2, 3, 4), [1, 2, 5, 9], mode="linear",
     coordinate_transformation_mode="align_corners")
case("resize_linear_down_pytorch", spaced(2, 1, 5, 6), [2, 1, 2, 3], mode="linear",
     coordinate_transformation_mode="pytorch_half_pixel")
