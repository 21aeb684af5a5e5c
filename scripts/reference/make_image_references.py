"""Reference images for the Images tests, and what torchvision makes of them.

Writes Tests/ImagesTests/Fixtures/images/: small images derived from chelsea.png (public domain, from
scikit-image) in the formats nnview must read, and for each NAME.EXT a NAME.EXT.expect.safetensors holding what
Pillow decodes (`Image.open(f).convert("RGB")`) and what torchvision's ImageNet preset makes of it:
  size            I64 [2]        decoded height, width
  decoded_sums    I64 [3]        per-channel sum of every decoded pixel (R, G, B)
  sample_yx       I32 [N, 2]     N pixel positions (seeded), and
  decoded_samples U8  [N, 3]     their decoded RGB values
  crop_sums       I64 [3]        per-channel sum of the 224×224 crop torchvision feeds the network (uint8, before
                                 scaling: Resize(256, bilinear, antialias) + CenterCrop(224) on the PIL image)
  crop_sampled    U8  [3, 75, 75]  that crop at every third row and column (rows/columns 0, 3, …, 222)
The script checks that the preset's normalised tensor is exactly that crop / 255, normalised.

Also writes Tests/ImagesTests/Fixtures/hostile/: crafted bad files (truncated, corrupt, huge, not images), and
extreme/wide.png, a legal 1,500,000 × 1 PNG.

Run with the project's reference venv:  /work/venv/bin/python scripts/reference/make_image_references.py
"""
import pathlib
import struct
import zlib

import numpy as np
import torch
from PIL import Image
from safetensors.numpy import save_file
from torchvision.models import MobileNet_V2_Weights
from torchvision.transforms import functional as F

root = pathlib.Path(__file__).resolve().parents[2]
fixtures = root / "Tests" / "ImagesTests" / "Fixtures"
source = Image.open(fixtures / "chelsea.png").convert("RGB")  # 451 × 300
images = fixtures / "images"
hostile = fixtures / "hostile"
images.mkdir(exist_ok=True)
hostile.mkdir(exist_ok=True)
rng = np.random.default_rng(7)


def region(box, size=None):
    im = source.crop(box)
    return im.resize(size, Image.LANCZOS) if size else im


def make_images():
    # A baseline JPEG (4:2:0) and a progressive one (4:2:2), both landscape.
    region((0, 0, 451, 300), (360, 240)).save(images / "baseline.jpg", quality=90)
    region((60, 20, 380, 280)).save(images / "progressive.jpg", quality=85, progressive=True, subsampling=1)
    # Portrait orientation (taller than wide), RGB PNG.
    region((150, 0, 350, 300), (150, 225)).save(images / "portrait.png")
    # Greyscale JPEG and PNG.
    region((100, 40, 400, 240)).convert("L").save(images / "grey.jpg", quality=88)
    region((0, 0, 451, 300), (260, 173)).convert("L").save(images / "grey.png")
    # Grey + alpha and RGBA PNGs: the alpha varies, and must be ignored (no compositing).
    rgba = region((50, 50, 290, 210), (180, 120)).convert("RGBA")
    alpha = np.tile(np.linspace(0, 255, rgba.width, dtype=np.uint8), (rgba.height, 1))
    rgba.putalpha(Image.fromarray(alpha))
    rgba.save(images / "rgba.png")
    la = region((200, 60, 400, 260), (150, 150)).convert("LA")
    la.putalpha(Image.fromarray(np.tile(np.linspace(255, 0, 150, dtype=np.uint8), (150, 1)).T.copy()))
    la.save(images / "grey_alpha.png")
    # A palette PNG (256 colours, one of them marked transparent) and a 4-bit palette PNG.
    palette = region((0, 0, 451, 300), (300, 200)).quantize(256)
    palette.save(images / "palette.png", transparency=3)
    region((120, 30, 360, 270), (180, 180)).quantize(16).save(images / "palette4.png", bits=4)
    # 16-bit RGB PNG (portrait, smaller than 224): the low byte is noise, which Pillow drops.
    rgb16 = np.asarray(region((180, 20, 300, 200), (80, 120))).astype(np.uint16) * 257
    rgb16 ^= rng.integers(0, 256, rgb16.shape, dtype=np.uint16)
    write_png16(images / "rgb16.png", rgb16, color_type=2)
    # 16-bit grey PNG with samples around 255: Pillow opens it as "I;16" and clips each sample to 255.
    grey16 = (np.asarray(region((0, 0, 451, 300), (96, 64)).convert("L")).astype(np.uint16) * 2).astype(">u2")
    write_png16(images / "grey16.png", grey16, color_type=0)
    # Interlaced (Adam7) RGB PNG, written by hand (Pillow does not write interlaced PNGs).
    write_interlaced_png(images / "interlaced.png", np.asarray(region((40, 40, 340, 240), (165, 110))))
    # CMYK JPEG (Pillow writes the Adobe marker and inverted samples).
    region((100, 0, 400, 300), (200, 200)).convert("CMYK").save(images / "cmyk.jpg", quality=90)
    # Smaller than 224 on both sides (upscaled by Resize).
    region((0, 0, 451, 300), (150, 100)).save(images / "small.jpg", quality=92)
    # 257 × 256: Resize leaves it as it is, and CenterCrop's (257 - 224) / 2 = 16.5 rounds to 16 (half to even).
    y, x = np.mgrid[0:256, 0:257]
    pattern = np.stack([(x * 255 // 256), (y * 255 // 255), ((x * 7 + y * 13) % 256)], axis=-1).astype(np.uint8)
    Image.fromarray(pattern).save(images / "exact257x256.png")


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, bit_depth, color_type, idat, interlace=0):
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write_png16(path, array, color_type):
    height, width = array.shape[:2]
    rows = array.astype(">u2").reshape(height, -1).view(np.uint8).reshape(height, -1)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)
    path.write_bytes(png_bytes(width, height, 16, color_type, zlib.compress(raw, 9)))


def write_interlaced_png(path, array):
    height, width = array.shape[:2]
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        sub = array[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        raw += b"".join(b"\x00" + row.tobytes() for row in sub)
    path.write_bytes(png_bytes(width, height, 8, 2, zlib.compress(raw, 9), interlace=1))


preset = MobileNet_V2_Weights.IMAGENET1K_V1.transforms()
mean = torch.tensor(preset.mean).view(3, 1, 1)
std = torch.tensor(preset.std).view(3, 1, 1)


def reference(path):
    im = Image.open(path).convert("RGB")
    decoded = np.asarray(im)
    h, w = decoded.shape[:2]
    n = min(300, h * w)
    positions = np.stack([rng.integers(0, h, n), rng.integers(0, w, n)], axis=1)
    crop_image = F.center_crop(F.resize(im, [256], antialias=True), [224])
    crop = np.asarray(crop_image).transpose(2, 0, 1).copy()  # [3, 224, 224] uint8
    # The preset's own output must be this crop, scaled and normalised (torchvision's arithmetic, float32).
    normalised = (torch.from_numpy(crop).float() / 255 - mean) / std
    tensor = preset(im)
    assert tensor.shape == (3, 224, 224)
    assert torch.equal(tensor, normalised), (path, (tensor - normalised).abs().max())
    save_file({
        "size": np.array([h, w], dtype=np.int64),
        "decoded_sums": decoded.reshape(-1, 3).sum(axis=0, dtype=np.int64),
        "sample_yx": positions.astype(np.int32),
        "decoded_samples": decoded[positions[:, 0], positions[:, 1]].copy(),
        "crop_sums": crop.reshape(3, -1).sum(axis=1, dtype=np.int64),
        "crop_sampled": crop[:, ::3, ::3].copy(),
    }, str(path.parent / (path.name + ".expect.safetensors")))
    print(f"{path.name:22} {Image.open(path).mode:5} {w}×{h}  {path.stat().st_size:7} bytes")


def make_hostile():
    pattern = (images / "exact257x256.png").read_bytes()
    (hostile / "truncated.png").write_bytes(pattern[: len(pattern) // 2])
    tiny = png_bytes(2, 2, 8, 2, zlib.compress(b"\x00" + bytes(6) + b"\x00" + bytes(6)))
    (hostile / "huge.png").write_bytes(png_bytes(200_000, 200_000, 8, 2, zlib.compress(b"\x00" * 7)))
    (hostile / "zero_width.png").write_bytes(png_bytes(0, 10, 8, 2, zlib.compress(b"\x00")))
    bad_crc = bytearray(tiny)
    bad_crc[29] ^= 0xFF  # the last byte of IHDR's CRC (8 signature + 4 length + 4 type + 13 data = 29 … 32)
    (hostile / "bad_crc.png").write_bytes(bytes(bad_crc))
    # A bad CRC in an ancillary chunk (tEXt) before the image data: Pillow refuses it, libpng would only warn.
    text = chunk(b"tEXt", b"Comment\x00hello")
    text = text[:-1] + bytes([text[-1] ^ 0xFF])
    (hostile / "bad_text_crc.png").write_bytes(tiny[:33] + text + tiny[33:])
    (hostile / "garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.integers(0, 256, 200, dtype=np.uint8).tobytes())
    (hostile / "text.png").write_bytes(b"This is a text file, not a picture.\n")
    (hostile / "empty.png").write_bytes(b"")
    (hostile / "gif.jpg").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    baseline = (images / "small.jpg").read_bytes()
    (hostile / "truncated.jpg").write_bytes(baseline[: len(baseline) // 2])
    # A JPEG whose frame header declares 65,000 × 65,000 pixels (4.2 billion).
    sof = baseline.index(b"\xff\xc0")
    huge = bytearray(baseline)
    huge[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    (hostile / "huge.jpg").write_bytes(bytes(huge))
    # A frame header declaring a height of 0 (which only a later DNL marker could set).
    empty = bytearray(baseline)
    empty[sof + 5:sof + 7] = struct.pack(">H", 0)
    (hostile / "zero_height.jpg").write_bytes(bytes(empty))
    # A frame header with a sample precision libjpeg does not decode (9 bits).
    corrupt = bytearray(baseline)
    corrupt[sof + 4] = 9
    (hostile / "bad_precision.jpg").write_bytes(bytes(corrupt))
    # Random bytes after a JPEG's start-of-image marker: libjpeg looks for a marker until the file ends.
    (hostile / "garbage.jpg").write_bytes(b"\xff\xd8\xff\xe0" + rng.integers(0, 256, 300, dtype=np.uint8).tobytes())


def make_extreme():
    # 1,500,000 × 1 (legal, 1.5 M pixels): wider than libpng's default limit, resized to 384,000,000 × 256.
    extreme = fixtures / "extreme"
    extreme.mkdir(exist_ok=True)
    row = bytes((x // 1000) % 256 for x in range(1_500_000))
    (extreme / "wide.png").write_bytes(png_bytes(1_500_000, 1, 8, 0, zlib.compress(b"\x00" + row, 9)))


make_extreme()
make_images()
for path in sorted(images.iterdir()):
    if path.suffix in (".png", ".jpg"):
        reference(path)
reference(fixtures / "chelsea.png")
make_hostile()
