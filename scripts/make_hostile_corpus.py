#!/usr/bin/env python3
"""Writes the hostile corpus of nnview's command-line tests: malformed files, one per rule they break.

Each file goes to Tests/nnviewTests/Fixtures/hostile/ and gets a line in manifest.tsv there:
    FILE <TAB> SUBSTRING <TAB> WHAT IS WRONG
`nnview summary FILE` must exit 1 with exactly one stderr line containing SUBSTRING (case-insensitive).
Only the standard library is used; run from the repository root:  python3 scripts/make_hostile_corpus.py
"""
import io
import json
import os
import pickle
import struct
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "nnviewTests", "Fixtures", "hostile")
FIXTURES = os.path.join(ROOT, "Tests", "nnviewTests", "Fixtures")
manifest = []


def emit(name, data, expect, why):
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(data)
    manifest.append((name, expect, why))


# ---------------------------------------------------------------- safetensors
def safetensors(header, data=b"", raw_header=None):
    body = raw_header if raw_header is not None else json.dumps(header, separators=(",", ":")).encode()
    body += b" " * ((8 - len(body) % 8) % 8)
    return struct.pack("<Q", len(body)) + body + data


def tensor(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


emit("st_too_small.safetensors", b"\x08\x00\x00", "HeaderTooSmall", "3 bytes: not even a header length")
emit("st_header_too_large.safetensors", struct.pack("<Q", 1 << 40) + b"{}" + b" " * 6, "HeaderTooLarge",
     "header length 2^40 beyond the 100 MB limit")
emit("st_header_past_end.safetensors", struct.pack("<Q", 4096) + b'{"a":1}', "InvalidHeaderLength",
     "header length larger than the file")
emit("st_header_not_utf8.safetensors", safetensors(None, raw_header=b'{"\xff\xfe":{}}'), "not valid UTF-8",
     "header bytes are not UTF-8")
emit("st_header_not_json.safetensors", safetensors(None, raw_header=b'{"w": {"dtype": "F32",'), "not valid JSON",
     "truncated JSON header")
emit("st_header_not_object.safetensors", safetensors(None, raw_header=b'{"w": [1, 2, 3]}'), "InvalidHeaderDeserialization",
     "a tensor entry that is an array, not an object")
emit("st_metadata_not_string.safetensors", safetensors({"__metadata__": {"format": 7}}), "not a string",
     "metadata value is a number")
emit("st_metadata_not_object.safetensors", safetensors({"__metadata__": ["a", "b"]}), "not an object of strings",
     "__metadata__ is a list")
emit("st_duplicate_name.safetensors",
     safetensors(None, raw_header=b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                                  b'"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}') + b"\0" * 8,
     "appears twice", "the same tensor name twice")
emit("st_unknown_dtype.safetensors", safetensors({"w": tensor("F33", [1], 0, 4)}, b"\0" * 4), "F33",
     "dtype that does not exist")
emit("st_offsets_gap.safetensors", safetensors({"a": tensor("F32", [1], 0, 4), "b": tensor("F32", [1], 8, 12)},
                                               b"\0" * 12), "InvalidOffset", "a gap between two tensors' bytes")
emit("st_offsets_overlap.safetensors", safetensors({"a": tensor("F32", [2], 0, 8), "b": tensor("F32", [2], 4, 12)},
                                                   b"\0" * 12), "InvalidOffset", "two tensors share bytes")
emit("st_offsets_reversed.safetensors", safetensors({"a": tensor("F32", [1], 4, 0)}, b"\0" * 4), "InvalidOffset",
     "end before begin")
emit("st_size_mismatch.safetensors", safetensors({"a": tensor("F32", [2, 2], 0, 12)}, b"\0" * 12), "TensorInvalidInfo",
     "shape × dtype is 16 bytes but the offsets give 12")
emit("st_shape_overflow.safetensors", safetensors({"a": tensor("F32", [1 << 62, 1 << 62], 0, 4)}, b"\0" * 4),
     "overflow", "shape product overflows 64 bits")
emit("st_negative_dimension.safetensors", safetensors({"a": tensor("F32", [-1, 4], 0, 4)}, b"\0" * 4), "shape",
     "a negative dimension")
emit("st_buffer_short.safetensors", safetensors({"a": tensor("F32", [4], 0, 16)}, b"\0" * 8), "MetadataIncompleteBuffer",
     "offsets reach past the end of the file")
emit("st_trailing_bytes.safetensors", safetensors({"a": tensor("F32", [1], 0, 4)}, b"\0" * 12),
     "MetadataIncompleteBuffer", "bytes after the last tensor")
emit("st_misaligned_f4.safetensors", safetensors({"a": tensor("F4", [3], 0, 2)}, b"\0" * 2), "MisalignedSlice",
     "3 four-bit values are not a whole number of bytes")
emit("st_missing_offsets.safetensors", safetensors({"a": {"dtype": "F32", "shape": [1]}}, b"\0" * 4), "data_offsets",
     "a tensor entry without data_offsets")
emit("st_deep_nesting.safetensors", safetensors(None, raw_header=b'{"a":' + b"[" * 10000 + b"]" * 10000 + b"}"),
     "nest", "JSON nested 10,000 levels deep")
emit("st_index_missing_shard.json", json.dumps({"metadata": {}, "weight_map": {"w": "no-such-shard.safetensors"}}).encode(),
     "no-such-shard", "a sharded index naming a shard that does not exist")

# ---------------------------------------------------------------- zip and PyTorch checkpoints
with open(os.path.join(FIXTURES, "pytorch", "seed_tied.pt"), "rb") as handle:
    tied_zip = handle.read()
with open(os.path.join(FIXTURES, "pytorch", "seed_tied_legacy.pt"), "rb") as handle:
    tied_legacy = handle.read()

emit("zip_truncated.pt", tied_zip[: len(tied_zip) // 2], "end-of-central-directory", "a torch.save zip cut in half")
emit("zip_only_local_header.pt", b"PK\x03\x04" + b"\0" * 60, "end-of-central-directory",
     "a zip signature and nothing else")


def patched_central_offset(data, new_offset):
    """Points the first central-directory entry's local header past the end of the file."""
    at = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, at + 16)[0]
    out = bytearray(data)
    struct.pack_into("<I", out, central + 42, new_offset)
    return bytes(out)


emit("zip_entry_past_end.pt", patched_central_offset(tied_zip, len(tied_zip) + 1000), "zip",
     "a member whose local header lies past the end of the file")


def torch_zip(pickle_bytes, storages, folder="archive"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{folder}/data.pkl", pickle_bytes)
        archive.writestr(f"{folder}/byteorder", "little")
        for key, data in storages.items():
            archive.writestr(f"{folder}/data/{key}", data)
        archive.writestr(f"{folder}/version", "3\n")
    return buffer.getvalue()


def unicode(text):
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def binint(value):
    return b"J" + struct.pack("<i", value)


def tuple_of(values):
    return b"(" + b"".join(binint(v) for v in values) + b"t"


def tensor_pickle(name, elements, offset, size, stride, storage="FloatStorage"):
    """{name: _rebuild_tensor_v2(persistent_load(('storage', torch.<storage>, '0', 'cpu', elements)), offset, size, stride, False, OrderedDict())}"""
    return (b"\x80\x02}" + unicode(name)
            + b"ctorch._utils\n_rebuild_tensor_v2\n"
            + b"((" + unicode("storage") + b"ctorch\n" + storage.encode() + b"\n" + unicode("0") + unicode("cpu")
            + binint(elements) + b"tQ"
            + binint(offset) + tuple_of(size) + tuple_of(stride) + b"\x89"
            + b"ccollections\nOrderedDict\n)Rt" + b"R" + b"s.")


emit("torch_storage_too_small.pt", torch_zip(tensor_pickle("w", 100, 0, [100], [1]), {"0": b"\0" * 8}),
     "storage", "the pickle claims 100 floats, the storage member holds 2")
emit("torch_strides_outside.pt", torch_zip(tensor_pickle("w", 4, 0, [2, 2], [10, 1]), {"0": b"\0" * 16}),
     "outside", "size (2, 2) with stride (10, 1) reaches past a 4-element storage")
emit("torch_offset_outside.pt", torch_zip(tensor_pickle("w", 4, 1000, [2], [1]), {"0": b"\0" * 16}),
     "outside", "a storage offset of 1000 in a 4-element storage")
emit("torch_huge_size.pt", torch_zip(tensor_pickle("w", 4, 0, [1 << 30, 1 << 30, 1 << 30], [1, 1, 1]), {"0": b"\0" * 16}),
     "w", "a size of 2^90 elements")
emit("torch_missing_storage.pt", torch_zip(tensor_pickle("w", 4, 0, [4], [1]), {}), "missing",
     "the pickle names storage 0 but the zip has no data/0")
emit("torch_unknown_storage_class.pt", torch_zip(tensor_pickle("w", 4, 0, [4], [1], storage="EvilStorage"), {"0": b"\0" * 16}),
     "torch.EvilStorage", "a storage class that is not on the allowlist")
emit("pickle_unknown_opcode.pt", torch_zip(b"\x80\x02\xfe.", {}), "unknown opcode", "opcode 0xfe does not exist")
emit("pickle_os_system.pt", torch_zip(b"\x80\x02cos\nsystem\n" + unicode("echo pwned") + b"\x85R.", {}),
     "os.system", "the classic: os.system('…') via REDUCE")
emit("pickle_builtins_eval.pt", torch_zip(b"\x80\x02cbuiltins\neval\n" + unicode("1+1") + b"\x85R.", {}),
     "builtins.eval", "builtins.eval")
frame = b"\x8c\nsubprocess\x94\x8c\x05Popen\x94\x93\x94."
emit("pickle_subprocess.pt", torch_zip(b"\x80\x04\x95" + struct.pack("<Q", len(frame)) + frame, {}),
     "subprocess.Popen", "subprocess.Popen through STACK_GLOBAL (protocol 4)")
emit("pickle_memo_out_of_range.pt", torch_zip(b"\x80\x02h\xc8.", {}), "memo", "BINGET 200 with an empty memo")
emit("pickle_long_memo_out_of_range.pt", torch_zip(b"\x80\x02j\xff\xff\xff\x7f.", {}), "memo",
     "LONG_BINGET 2^31-1")
emit("pickle_huge_string.pt", torch_zip(b"\x80\x02X\xff\xff\xff\x7fabc.", {}), "pickle",
     "BINUNICODE claiming 2 GiB with 3 bytes present")
emit("pickle_huge_bytes8.pt", torch_zip(b"\x80\x04\x8e" + struct.pack("<Q", 1 << 62) + b"abc.", {}), "pickle",
     "BINBYTES8 claiming 2^62 bytes")
emit("pickle_deep_nesting.pt", torch_zip(b"\x80\x02" + b"]" * 20000 + b"a" * 19999 + b".", {}), "deep",
     "a list nested 20,000 levels deep")
emit("pickle_stack_underflow.pt", torch_zip(b"\x80\x02s.", {}), "pickle", "SETITEM on an empty stack")
emit("pickle_no_stop.pt", torch_zip(b"\x80\x02}", {}), "pickle", "a pickle that ends without STOP")
emit("legacy_truncated.pt", tied_legacy[: len(tied_legacy) // 2], "ends without STOP", "a legacy checkpoint cut in half")
emit("legacy_no_magic_os_system.pt", b"\x80\x02cos\nsystem\n" + unicode("echo pwned") + b"\x85R.", "not a PyTorch checkpoint",
     "a bare pickle calling os.system, without the legacy magic number: refused before the call is built")
LEGACY_PREFIX = (pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + pickle.dumps(1001, protocol=2)
                 + pickle.dumps({"protocol_version": 1001, "little_endian": True,
                                 "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2))
emit("legacy_os_system.pt", LEGACY_PREFIX + b"\x80\x02cos\nsystem\n" + unicode("echo pwned") + b"\x85R.", "os.system",
     "a legacy checkpoint (valid magic, version, sys info) whose object pickle calls os.system")
emit("legacy_subprocess.pt", LEGACY_PREFIX + b"\x80\x02csubprocess\ncheck_output\n" + unicode("id") + b"\x85R.",
     "subprocess.check_output", "a legacy checkpoint calling subprocess.check_output")

# ---------------------------------------------------------------- NumPy
def npy(header_text, data=b"", version=(1, 0)):
    header = header_text.encode("latin1")
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack("<H", len(header)) + header + data


emit("npy_object_array.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", b"\x80\x02N." * 2),
     "object arrays", "dtype object: the data would be pickles")
emit("npy_huge_shape.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", b"\0" * 16),
     "overflow", "a shape of 2^64 elements")
emit("npy_shape_beyond_data.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,), }", b"\0" * 16),
     "needs 4000000 data bytes", "a million floats claimed, 16 bytes present")
emit("npy_bad_header.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,", b"\0" * 12), "npy",
     "an unterminated header dictionary")
emit("npy_deep_header.npy", npy("{'descr': " + "[" * 5000 + "]" * 5000 + ", 'fortran_order': False, 'shape': (), }"),
     "npy", "a header literal nested 5,000 levels deep")
emit("npy_header_length_past_end.npy", b"\x93NUMPY\x01\x00\xff\xff{'descr'", "npy", "header length beyond the file")
emit("npy_bigendian.npy", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", b"\0" * 8), "big-endian",
     "big-endian data")


def npz(members, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


emit("npz_object_member.npz", npz({"w.npy": npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\x80\x02N.")}),
     "object arrays", "an npz member holding an object array")
with open(os.path.join(FIXTURES, "numpy", "mlp_compressed.npz"), "rb") as handle:
    compressed = handle.read()
emit("npz_truncated.npz", compressed[: len(compressed) // 2], "end-of-central-directory", "a deflated npz cut in half")


def lying_deflate():
    """A deflated member whose directory claims 1 TiB uncompressed (a zip bomb by claim)."""
    data = bytearray(npz({"w.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (16,), }", b"\0" * 64)},
                         zipfile.ZIP_DEFLATED))
    at = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, at + 16)[0]
    struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)  # uncompressed size in the central directory
    struct.pack_into("<I", data, 22, 0xFFFFFFF0)            # and in the local header
    return bytes(data)


emit("npz_claimed_huge_inflate.npz", lying_deflate(), "w.npy", "a deflated member claiming 4 GiB uncompressed")


def bad_crc():
    data = bytearray(npz({"w.npy": npy("{'descr': '<f4', 'fortran_order': False, 'shape': (16,), }", b"\1" * 64)},
                         zipfile.ZIP_DEFLATED))
    at = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, at + 16)[0]
    struct.pack_into("<I", data, central + 16, 0xDEADBEEF)
    struct.pack_into("<I", data, 14, 0xDEADBEEF)
    return bytes(data)


emit("npz_bad_crc.npz", bad_crc(), "CRC", "a deflated member whose CRC-32 does not match")

# ---------------------------------------------------------------- GGUF
def gguf_string(text):
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


emit("gguf_huge_tensor_count.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1 << 60, 0), "tensor", "2^60 tensors claimed")
emit("gguf_huge_kv_count.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1 << 60), "key-value pairs", "2^60 key-value pairs claimed")
emit("gguf_huge_string.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 40) + b"general",
     "key claims 1099511627776 bytes", "a key whose length claims 1 TiB")
emit("gguf_bad_version.gguf", b"GGUF" + struct.pack("<IQQ", 99, 0, 0), "version", "GGUF version 99")
emit("gguf_huge_array.gguf", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + gguf_string("k") + struct.pack("<IIQ", 9, 4, 1 << 62),
     "array items", "an array value claiming 2^62 elements")
emit("gguf_huge_dims.gguf", b"GGUF" + struct.pack("<IQQ", 3, 1, 0) + gguf_string("t")
     + struct.pack("<I", 2) + struct.pack("<QQ", 1 << 40, 1 << 40) + struct.pack("<IQ", 0, 0), "t",
     "a tensor of 2^80 elements")

# ---------------------------------------------------------------- .nn specs
def spec(name, text, expect, why):
    emit(name, text.encode(), expect, why)


spec("spec_unknown_layer.nn", "model = Sequential(Linaer(4, 8))\ninput = rand(2, 4)\n", "Linaer", "a layer that does not exist")
spec("spec_unbalanced_open.nn", "model = Sequential(Linear(4, 8)\ninput = rand(2, 4)\n", "unbalanced parenthesis", "a parenthesis never closed")
spec("spec_unbalanced_close.nn", "model = Sequential(Linear(4, 8)))\n", "unbalanced parenthesis", "one closing parenthesis too many")
spec("spec_self_reference.nn", "model = Sequential(model, ReLU())\n", "model", "model defined in terms of itself")
spec("spec_undefined_name.nn", "model = Sequential(encoder, ReLU())\n", "encoder", "a name never defined")
spec("spec_absurd_layer.nn", "model = Linear(1000000000, 1000000000)\ninput = rand(2, 1000000000)\n", "exceeds the limit",
     "a 10^18-weight layer")
spec("spec_absurd_input.nn", "model = ReLU()\ninput = rand(100000, 100000, 100000)\n", "exceeds the limit", "a 10^15-element input")
spec("spec_long_line.nn", "model = " + "Sequential(" * 5000 + "ReLU()" + ")" * 5000 + "\n", "longer than the limit",
     "Sequential nested 5,000 deep on one 60 kB line")
spec("spec_deep_nesting.nn", "model = " + "Sequential(\n" * 5000 + "ReLU()" + ")\n" * 5000, "deep",
     "Sequential nested 5,000 deep over 10,000 short lines")
spec("spec_wrong_argument.nn", "model = Linear(4, 8, bais=false)\n", "bais", "a keyword the layer does not take")
spec("spec_shape_mismatch.nn", "model = Sequential(Linear(4, 8), Linear(3, 2))\ninput = rand(2, 4)\n", "does not fit",
     "shapes that do not fit when the input is run through")
emit("spec_not_utf8.nn", b"model = ReLU()  # \xff\xfe\n", "UTF-8", "bytes that are not UTF-8")

# ---------------------------------------------------------------- anything else
emit("empty_file.bin", b"", "empty", "a zero-byte file")
emit("zip_not_a_checkpoint.pt", npz({"readme.txt": b"hello"}), "not inside a folder", "a zip of a text file")
emit("zip_no_data_pkl.pt", npz({"archive/readme.txt": b"hello"}), "no data.pkl", "a zip with a folder but no data.pkl")
emit("random_bytes.bin", bytes((i * 73 + 41) % 256 for i in range(512)), "unrecognised file format", "noise")

with open(os.path.join(OUT, "manifest.tsv"), "w") as handle:
    handle.write("# file\texpected substring of the one stderr line (case-insensitive)\twhat is wrong\n")
    for name, expect, why in manifest:
        handle.write(f"{name}\t{expect}\t{why}\n")
print(f"wrote {len(manifest)} files to {OUT}")
