"""gguf-py's reading of the GGUF file nnview's explorer writes (issue 15: saving an edited GGUF model).

Tests/ExplorerTests/Fixtures/tiny.edited.gguf is what GGUFSavingTests saves after editing tiny.gguf (one Q4_K and one
Q6_K element); regenerate it with

    NNVIEW_WRITE_GGUF_FIXTURE=$PWD/Tests/ExplorerTests/Fixtures/tiny.edited.gguf \
        swift test --filter GGUFSavingTests/anEdited

This script reads it with gguf-py (0.19), checks the metadata and tensor types match tiny.gguf's, and writes every
tensor dequantized by gguf-py to tiny.edited.expect.safetensors (NumPy shape order, float32), which the Swift test
compares with the values nnview shows. Run: /work/venv/bin/python scripts/reference/gguf_written_file.py
"""
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import save_file

FIXTURES = Path(__file__).resolve().parents[2] / "Tests" / "ExplorerTests" / "Fixtures"


def main() -> None:
    original = gguf.GGUFReader(FIXTURES / "tiny.gguf")
    written = gguf.GGUFReader(FIXTURES / "tiny.edited.gguf")
    assert written.alignment == original.alignment
    keys = [k for k in original.fields if not k.startswith("GGUF.")]
    assert [k for k in written.fields if not k.startswith("GGUF.")] == keys
    for key in keys:
        a, b = original.fields[key], written.fields[key]
        assert a.types == b.types and all(np.array_equal(a.parts[i], b.parts[i]) for i in a.data), key
    tensors = {}
    changed = []
    for a, b in zip(original.tensors, written.tensors):
        assert (a.name, a.tensor_type, list(a.shape)) == (b.name, b.tensor_type, list(b.shape)), a.name
        values = gguf.dequantize(b.data, b.tensor_type).astype(np.float32)
        before = gguf.dequantize(a.data, a.tensor_type).astype(np.float32)
        if not np.array_equal(values, before):
            changed.append((a.name, b.tensor_type.name, int(np.sum(values != before))))
        # gguf-py gives NumPy order (the reverse of ggml's ne), as nnview shows.
        tensors[b.name] = np.ascontiguousarray(values.reshape([int(d) for d in reversed(b.shape)]))
    print("changed tensors (name, type, values changed):", changed)
    save_file(tensors, str(FIXTURES / "tiny.edited.expect.safetensors"))


if __name__ == "__main__":
    main()
