#!/usr/bin/env python3
"""Writes the ONNX part of the hostile corpus (Tests/nnviewTests/Fixtures/hostile/onnx_*.onnx) and replaces the
onnx_ lines of its manifest.tsv (see make_hostile_corpus.py for the format). Each file is a protobuf ModelProto
that breaks one rule of nnview's ONNX reader. Only the standard library is used; run from anywhere:
    python3 scripts/make_hostile_onnx.py
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "nnviewTests", "Fixtures", "hostile")
REAL = os.path.join(ROOT, "Tests", "ModelFilesTests", "Fixtures", "onnx", "cnn_small.onnx")


def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def key(number, wire):
    return varint(number << 3 | wire)


def integer(number, value):
    return key(number, 0) + varint(value)


def delimited(number, data):
    return key(number, 2) + varint(len(data)) + data


def text(number, value):
    return delimited(number, value.encode())


def tensor(name, dims, data_type=1, extra=b""):
    return b"".join(integer(1, d) for d in dims) + integer(2, data_type) + text(8, name) + extra


def external(name, dims, entries):
    body = b"".join(delimited(13, text(1, k) + text(2, v)) for k, v in entries)
    return tensor(name, dims, extra=body + integer(14, 1))


def model(graph_body):
    opset = delimited(8, text(1, "") + integer(2, 17))
    return integer(1, 8) + text(2, "hostile") + delimited(7, text(2, "g") + graph_body) + opset


def initializers(*tensors):
    return model(b"".join(delimited(5, t) for t in tensors))


def nested_ifs(depth):
    graph = text(2, "g")
    for _ in range(depth):
        attribute = text(1, "then_branch") + delimited(6, graph) + integer(20, 5)
        node = text(1, "c") + text(2, "out") + text(4, "If") + delimited(5, attribute)
        graph = delimited(1, node) + text(2, "g")
    return integer(1, 8) + text(2, "hostile") + delimited(7, graph)


with open(REAL, "rb") as handle:
    real = handle.read()

files = [
    ("onnx_truncated.onnx", real[: len(real) // 2], "remain", "a torch.onnx export cut in half"),
    ("onnx_raw_data_short.onnx", initializers(tensor("w", [1000, 1000], extra=delimited(9, b"\0" * 8))),
     "raw_data holds 8", "dims [1000, 1000] of FLOAT with 8 bytes of raw_data"),
    ("onnx_huge_dims.onnx", initializers(tensor("w", [1 << 40, 1 << 40], extra=delimited(9, b""))),
     "more elements than memory can address", "dims whose product is 2^80"),
    ("onnx_negative_dim.onnx", initializers(tensor("w", [-5])), "negative dimension", "a dimension of -5"),
    ("onnx_many_dims.onnx", initializers(tensor("w", [1] * 100)), "more than 64 dimensions", "100 dimensions"),
    ("onnx_typed_count.onnx", initializers(tensor("w", [1 << 20], extra=key(4, 5) + struct.pack("<f", 1.0))),
     "float_data holds 1", "a million floats claimed, one stored in float_data"),
    ("onnx_external_escape.onnx", initializers(external("w", [2], [("location", "../../../../etc/passwd")])),
     "leaves the model's folder", "external data in a parent folder"),
    ("onnx_external_absolute.onnx", initializers(external("w", [2], [("location", "/etc/passwd")])),
     "leaves the model's folder", "external data at an absolute path"),
    ("onnx_external_missing.onnx", initializers(external("w", [2], [("location", "no_such_weights.bin")])),
     "cannot be opened", "external data file that does not exist"),
    ("onnx_external_past_end.onnx",
     initializers(external("w", [2], [("location", "onnx_external_past_end.onnx"), ("offset", str(1 << 40))])),
     "past the end", "external data offset 2^40 in a small file"),
    ("onnx_deep_subgraphs.onnx", nested_ifs(3000), "nest more than", "If bodies nested 3,000 deep"),
    ("onnx_huge_length.onnx", integer(1, 8) + key(7, 2) + varint(1 << 60), "claims", "a graph claiming 2^60 bytes"),
    ("onnx_long_varint.onnx", integer(1, 8) + key(5, 0) + b"\xff" * 10 + b"\x01", "longer than 64 bits",
     "an 11-byte varint"),
    ("onnx_no_graph.onnx", integer(1, 8) + text(2, "pytorch"), "no graph", "a ModelProto without a graph"),
    ("onnx_duplicate_initializer.onnx",
     initializers(tensor("w", [1], extra=key(4, 5) + b"\0" * 4), tensor("w", [1], extra=key(4, 5) + b"\0" * 4)),
     "appears twice", "the same initializer name twice"),
]

manifest_path = os.path.join(OUT, "manifest.tsv")
with open(manifest_path) as handle:
    lines = [line for line in handle.read().splitlines() if not line.startswith("onnx_")]
for name, data, expect, why in files:
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(data)
    lines.append(f"{name}\t{expect}\t{why}")
with open(manifest_path, "w") as handle:
    handle.write("\n".join(lines) + "\n")
print(f"wrote {len(files)} ONNX files to {OUT}")
