#!/usr/bin/env python3
"""Reference data for nnview's ONNX reader, written with the `onnx` package (pip install onnx).

    scripts/reference/make_onnx_reference.py OUT_FOLDER [REAL_MODEL.onnx]

1. Writes OUT_FOLDER/dtypes.onnx: a small graph built with onnx.helper whose initializers cover every data type
   nnview reads, each once in raw_data and once in its typed field (float_data, int32_data -- which also carries
   float16/bfloat16/int8/uint8/int16/bool --, int64_data, double_data), plus a STRING and a UINT16 initializer (kept
   by name, refused when read), an Identity alias of an initializer, two initializers sharing the same bytes of an
   external file (OUT_FOLDER/dtypes.onnx.data), a scoped node name and an If node with sub-graphs.
2. For every OUT_FOLDER/*.onnx (and REAL_MODEL if given) writes NAME.onnx.expect.json: per initializer the data
   type, dims and an FNV-1a 64 hash of its row-major little-endian bytes (small ones also their values), the graph's
   inputs/outputs with shapes, opsets, producer, op counts and the parameter total -- all as the onnx package reads
   them -- so the Swift tests can check every value read back without Python.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def fnv1a64(data: bytes) -> str:
    value = 0xCBF29CE484222325
    for byte in data:
        value ^= byte
        value = (value * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def dtypes_model(folder: str) -> None:
    rng = np.random.default_rng(16)
    initializers = []
    readable = {
        "float": (TensorProto.FLOAT, np.float32), "float16": (TensorProto.FLOAT16, np.float16),
        "double": (TensorProto.DOUBLE, np.float64), "int8": (TensorProto.INT8, np.int8),
        "uint8": (TensorProto.UINT8, np.uint8), "int16": (TensorProto.INT16, np.int16),
        "int32": (TensorProto.INT32, np.int32), "int64": (TensorProto.INT64, np.int64),
        "bool": (TensorProto.BOOL, np.bool_),
    }
    for name, (code, dtype) in readable.items():
        if dtype == np.bool_:
            values = rng.integers(0, 2, size=(2, 3)).astype(np.bool_)
        elif np.issubdtype(dtype, np.integer):
            info = np.iinfo(dtype)
            values = rng.integers(info.min, info.max, size=(2, 3), endpoint=True).astype(dtype)
        else:
            values = (rng.standard_normal((2, 3)) * 3).astype(dtype)
        initializers.append(numpy_helper.from_array(values, name=f"raw.{name}"))
        # make_tensor with raw=False writes the typed field onnx.proto assigns to the type.
        initializers.append(helper.make_tensor(f"typed.{name}", code, values.shape, values.flatten().tolist()))
    bf16 = (rng.standard_normal((3, 2)) * 3).astype(np.float32)
    # make_tensor writes BFLOAT16 into int32_data (rounding to nearest even); raw_data gets the same bit patterns.
    typed_bf16 = helper.make_tensor("typed.bfloat16", TensorProto.BFLOAT16, bf16.shape, bf16.flatten().tolist())
    bits = np.array(typed_bf16.int32_data, dtype=np.uint16)
    initializers.append(TensorProto(name="raw.bfloat16", data_type=TensorProto.BFLOAT16, dims=[3, 2],
                                    raw_data=bits.tobytes()))
    initializers.append(typed_bf16)
    initializers.append(numpy_helper.from_array(np.float32(2.5), name="scalar"))
    initializers.append(numpy_helper.from_array(np.zeros((0, 4), np.float32), name="empty"))
    initializers.append(helper.make_tensor("text", TensorProto.STRING, [2], [b"a", b"bc"]))
    initializers.append(numpy_helper.from_array(np.arange(4, dtype=np.uint16), name="unsigned16"))

    # Two initializers naming the same bytes of one external file are one tensor; a third follows them.
    shared = rng.standard_normal((4, 2)).astype(np.float32)
    other = rng.standard_normal((3,)).astype(np.float32)
    with open(os.path.join(folder, "dtypes.onnx.data"), "wb") as handle:
        handle.write(shared.tobytes() + other.tobytes())
    for name, dims, offset, length in [("external.a", [4, 2], 0, 32), ("external.b", [4, 2], 0, 32),
                                       ("external.c", [3], 32, 12)]:
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims, data_location=TensorProto.EXTERNAL)
        for key, value in [("location", "dtypes.onnx.data"), ("offset", str(offset)), ("length", str(length))]:
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        initializers.append(tensor)

    then_graph = helper.make_graph([helper.make_node("Identity", ["raw.float"], ["then_out"])], "then", [],
                                   [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, [2, 3])])
    else_graph = helper.make_graph([helper.make_node("Neg", ["raw.float"], ["else_out"])], "else", [],
                                   [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, [2, 3])])
    nodes = [
        helper.make_node("Identity", ["raw.float"], ["tied.float"], name="/block/tie/Identity"),
        helper.make_node("MatMul", ["x", "external.a"], ["projected"], name="/encoder/layer.0/dense/MatMul"),
        helper.make_node("Add", ["projected", "raw.float"], ["sum"], name="/encoder/layer.0/dense/Add"),
        helper.make_node("Transpose", ["sum"], ["y"], name="/encoder/layer.10/Transpose", perm=[1, 0]),
        helper.make_node("If", ["flag"], ["chosen"], name="choose", then_branch=then_graph, else_branch=else_graph),
        helper.make_node("Constant", [], ["c"], value=helper.make_tensor("c", TensorProto.FLOAT, [2], [1.5, -2.0])),
    ]
    graph = helper.make_graph(
        nodes, "dtypes",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4]),
         helper.make_tensor_value_info("flag", TensorProto.BOOL, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, "batch"]),
         helper.make_tensor_value_info("chosen", TensorProto.FLOAT, None)],
        initializer=initializers,
        value_info=[helper.make_tensor_value_info("projected", TensorProto.FLOAT, ["batch", 2])])
    model = helper.make_model(graph, producer_name="nnview-reference", producer_version="1",
                              opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    helper.set_model_props(model, {"purpose": "dtype coverage"})
    with open(os.path.join(folder, "dtypes.onnx"), "wb") as handle:
        handle.write(model.SerializeToString())


def value_info(info) -> dict:
    kind = info.type.WhichOneof("value")
    if kind != "tensor_type":
        return {"name": info.name, "dtype": kind or "?", "shape": None}
    tensor = info.type.tensor_type
    shape = None
    if tensor.HasField("shape"):
        shape = [d.dim_value if d.HasField("dim_value") else (d.dim_param if d.HasField("dim_param") else None)
                 for d in tensor.shape.dim]
    return {"name": info.name, "dtype": TensorProto.DataType.Name(tensor.elem_type), "shape": shape}


def expectation(path: str) -> dict:
    model = onnx.load(path, load_external_data=False)
    folder = os.path.dirname(os.path.abspath(path))
    graph = model.graph
    initializers = []
    total = 0
    for tensor in graph.initializer:
        entry = {"name": tensor.name, "dtype": TensorProto.DataType.Name(tensor.data_type), "dims": list(tensor.dims)}
        count = int(np.prod(tensor.dims)) if len(tensor.dims) else 1
        total += count
        if tensor.data_type not in (TensorProto.STRING, TensorProto.UINT16):
            if tensor.data_location == TensorProto.EXTERNAL:
                copy = TensorProto()
                copy.CopyFrom(tensor)
                onnx.external_data_helper.load_external_data_for_tensor(copy, folder)
                array = numpy_helper.to_array(copy)
            else:
                array = numpy_helper.to_array(tensor)
            data = np.ascontiguousarray(array).tobytes()
            entry["fnv1a64"] = fnv1a64(data)
            if count <= 16:
                entry["values"] = [float(v) for v in array.astype(np.float64).flatten()]
        initializers.append(entry)
    ops = {}
    for node in graph.node:
        op = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
        ops[op] = ops.get(op, 0) + 1
    initialized = {t.name for t in graph.initializer}
    return {
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "producer_version": model.producer_version,
        "opset_import": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
        "inputs": [value_info(i) for i in graph.input if i.name not in initialized],
        "outputs": [value_info(o) for o in graph.output],
        "initializers": initializers,
        "parameter_total": total,
        "nodes": len(graph.node),
        "op_counts": ops,
    }


def main() -> None:
    folder = sys.argv[1]
    dtypes_model(folder)
    paths = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".onnx"))
    for path in paths:
        with open(path + ".expect.json", "w") as handle:
            json.dump(expectation(path), handle, indent=1)
    if len(sys.argv) > 2:
        real = expectation(sys.argv[2])
        for entry in real["initializers"]:
            entry.pop("values", None)
        with open(os.path.join(folder, "paraphrase-MiniLM-L3-v2.onnx.expect.json"), "w") as handle:
            json.dump(real, handle, indent=1)


if __name__ == "__main__":
    main()
