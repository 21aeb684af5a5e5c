#!/usr/bin/env python3
"""Reference outputs of edited ONNX models, for nnview's ONNX writer (ONNXWriter).

    scripts/reference/make_onnx_edit_reference.py make  FIXTURES/onnx
    scripts/reference/make_onnx_edit_reference.py check FIXTURES/onnx WRITTEN_FOLDER

`make` edits a float initializer stored inline and one stored as external data (where the model has external
data) of the cnn_small, gpt2 and llama fixtures with the `onnx` package, exactly as EDITS says (x2 and +0.5 are
exact in float32, so nnview makes the same bytes), runs onnxruntime on NAME.input.safetensors and writes
FIXTURES/onnx/edited.expect.safetensors: `NAME/output` at sequence positions POSITIONS (the whole output for
cnn_small), to keep the file small.

`check` loads the files nnview wrote (WRITTEN_FOLDER/NAME.edited.onnx with their external data) with onnx's checker
and onnxruntime, runs them on the same inputs and prints the largest difference from the expectation.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from safetensors.numpy import load_file, save_file

# name -> [(initializer, operation)]: "x2" multiplies every value by 2, "+0.5" adds 0.5.
EDITS = {
    "cnn_small": [("0.weight", "x2"), ("0.bias", "+0.5")],
    "gpt2": [("m.transformer.h.0.mlp.c_fc.weight", "x2"), ("m.transformer.h.0.ln_1.bias", "+0.5")],
    "llama": [("m.model.embed_tokens.weight", "x2"), ("m.model.layers.0.input_layernorm.weight", "+0.5")],
}
POSITIONS = [0, 13, 26, 38]


def edited(values: np.ndarray, operation: str) -> np.ndarray:
    if operation == "x2":
        return values * np.float32(2)
    return values + np.float32(0.5)


def run(path: str, inputs: dict) -> np.ndarray:
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return session.run(["output"], {n: inputs[n] for n in names})[0]


def kept(name: str, output: np.ndarray) -> np.ndarray:
    return output if output.ndim < 3 else np.ascontiguousarray(output[:, POSITIONS, :])


def make(folder: str) -> None:
    expect = {}
    for name, edits in EDITS.items():
        model = onnx.load(os.path.join(folder, f"{name}.onnx"))
        for tensor in model.graph.initializer:
            for target, operation in edits:
                if tensor.name == target:
                    values = numpy_helper.to_array(tensor)
                    tensor.CopyFrom(numpy_helper.from_array(edited(values, operation), name=tensor.name))
        inputs = load_file(os.path.join(folder, f"{name}.input.safetensors"))
        output = run(model.SerializeToString(), inputs)
        original = run(os.path.join(folder, f"{name}.onnx"), inputs)
        print(f"{name}: output {output.shape}, largest change from the edits {np.abs(output - original).max():.4g}")
        expect[f"{name}/output"] = kept(name, output)
    save_file(expect, os.path.join(folder, "edited.expect.safetensors"))


def check(folder: str, written: str) -> None:
    expect = load_file(os.path.join(folder, "edited.expect.safetensors"))
    for name in EDITS:
        path = os.path.join(written, f"{name}.edited.onnx")
        onnx.checker.check_model(path, full_check=True)
        output = kept(name, run(path, load_file(os.path.join(folder, f"{name}.input.safetensors"))))
        difference = np.abs(output - expect[f"{name}/output"]).max()
        print(f"{name}: onnxruntime on nnview's file differs from the expectation by at most {difference:.3g}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
