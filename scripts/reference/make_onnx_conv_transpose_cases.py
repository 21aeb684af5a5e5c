#!/usr/bin/env python3
"""Single-op ConvTranspose graphs for nnview's ONNX interpreter, in the form of make_onnx_op_cases.py (every operand
an initializer, onnxruntime's outputs beside each): Tests/ArchitecturesTests/Fixtures/onnx/ops/conv_transpose_*.

    scripts/reference/make_onnx_conv_transpose_cases.py Tests/ArchitecturesTests/Fixtures/onnx/ops
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import helper, numpy_helper
from safetensors.numpy import save_file

OUT = sys.argv[1]
rng = np.random.default_rng(1617)


def f(*shape):
    return rng.uniform(-1, 1, size=shape).astype(np.float32)


def case(name, inputs, **attrs):
    names = [f"x{k}" for k in range(len(inputs))]
    inits = [numpy_helper.from_array(value, n) for n, value in zip(names, inputs)]
    node = helper.make_node("ConvTranspose", names, ["y0"], name="/ConvTranspose", **attrs)
    graph = helper.make_graph([node], name, [], [helper.make_empty_tensor_value_info("y0")], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    inferred = onnx.shape_inference.infer_shapes(model)
    model.graph.output[0].type.CopyFrom(inferred.graph.output[0].type)
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (result,) = session.run(None, {})
    onnx.save(model, os.path.join(OUT, f"{name}.onnx"))
    save_file({"y0": np.ascontiguousarray(result)}, os.path.join(OUT, f"{name}.expect.safetensors"))
    print(name, result.shape)


case("conv_transpose", [f(1, 2, 3, 3), f(2, 3, 3, 3), f(3)])
case("conv_transpose_stride_pads", [f(2, 2, 3, 4), f(2, 2, 3, 2)], strides=[2, 2], pads=[1, 0, 1, 1])
case("conv_transpose_groups_dilation_output_padding", [f(1, 4, 3, 3), f(4, 1, 2, 3), f(2)], group=2,
     strides=[2, 3], dilations=[2, 1], output_padding=[1, 2])
case("conv_transpose_1d", [f(2, 3, 5), f(3, 2, 4), f(2)], strides=[2], pads=[1, 2])
