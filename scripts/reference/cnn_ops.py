"""PyTorch's numbers for nnview's CNN ops (conv2d, pools, batch_norm, activations).

Writes Tests/ModelFilesTests/Fixtures/reference/cnn_ops.safetensors. For each case CASE it holds CASE/x (and
CASE/w, CASE/b where the op has them), CASE/y = op(...), and CASE/gx, CASE/gw, CASE/gb = gradients of
sum(y * CASE/gy) with a fixed random CASE/gy. The arguments of each case are in the case name's table below
(mirrored by CNNOpReferenceTests.swift). Run with /work/venv/bin/python scripts/reference/cnn_ops.py.
"""
import sys
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(7)
out = {}


def record(name, fn, x, w=None, b=None):
    tensors = [t for t in (x, w, b) if t is not None]
    for t in tensors:
        t.requires_grad_(True)
    y = fn(x, w, b)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out[f"{name}/x"] = x.detach()
    out[f"{name}/y"] = y.detach()
    out[f"{name}/gy"] = gy
    out[f"{name}/gx"] = x.grad
    if w is not None:
        out[f"{name}/w"] = w.detach()
        out[f"{name}/gw"] = w.grad
    if b is not None:
        out[f"{name}/b"] = b.detach()
        out[f"{name}/gb"] = b.grad


def conv(name, n, c, h, wd, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True):
    x = torch.randn(n, c, h, wd)
    w = torch.randn(o, c // groups, *k) * 0.5
    b = torch.randn(o) if bias else None
    record(name, lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), x, w, b)


# name, input [N, C, H, W], out channels, kernel, stride, padding, dilation, groups, bias
conv("conv_basic", 2, 3, 7, 6, 4, (3, 3))
conv("conv_stride_pad", 2, 3, 9, 8, 5, (3, 2), stride=(2, 3), padding=(1, 2))
conv("conv_dilation", 1, 2, 10, 9, 3, (3, 3), padding=2, dilation=(2, 3), bias=False)
conv("conv_groups", 2, 4, 7, 7, 6, (3, 3), padding=1, groups=2)
conv("conv_depthwise", 2, 5, 8, 7, 5, (3, 3), stride=2, padding=1, groups=5)
conv("conv_depthwise_mult", 1, 3, 6, 6, 6, (3, 3), padding=1, groups=3, bias=False)
conv("conv_same", 2, 3, 7, 8, 4, (4, 3), padding="same")
conv("conv_same_dilated", 1, 2, 9, 7, 3, (3, 2), padding="same", dilation=2)
conv("conv_1x1", 3, 8, 5, 5, 7, (1, 1))

x = torch.randn(2, 3, 9, 8)
record("maxpool_basic", lambda x, w, b: F.max_pool2d(x, 2), x)
x = torch.randn(2, 3, 9, 8)
record("maxpool_pad_stride", lambda x, w, b: F.max_pool2d(x, (3, 2), stride=(2, 1), padding=(1, 1)), x)
x = torch.randn(1, 2, 9, 10)
record("maxpool_ceil", lambda x, w, b: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), x)
x = torch.randn(1, 2, 8, 7)
record("maxpool_dilation", lambda x, w, b: F.max_pool2d(x, 2, stride=1, dilation=2), x)
x = torch.randn(2, 3, 9, 8)
record("avgpool_basic", lambda x, w, b: F.avg_pool2d(x, 2), x)
x = torch.randn(2, 2, 9, 8)
record("avgpool_pad_include", lambda x, w, b: F.avg_pool2d(x, 3, stride=2, padding=1), x)
x = torch.randn(2, 2, 9, 8)
record("avgpool_pad_exclude", lambda x, w, b: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), x)
x = torch.randn(1, 2, 10, 9)
record("avgpool_ceil", lambda x, w, b: F.avg_pool2d(x, (3, 2), stride=2, padding=1, ceil_mode=True), x)
x = torch.randn(1, 2, 10, 9)
record("avgpool_ceil_exclude", lambda x, w, b: F.avg_pool2d(x, 3, stride=2, ceil_mode=True, count_include_pad=False), x)
x = torch.randn(2, 3, 7, 9)
record("adaptive_1", lambda x, w, b: F.adaptive_avg_pool2d(x, 1), x)
x = torch.randn(2, 3, 7, 9)
record("adaptive_3x4", lambda x, w, b: F.adaptive_avg_pool2d(x, (3, 4)), x)
x = torch.randn(1, 2, 5, 4)
record("adaptive_grow", lambda x, w, b: F.adaptive_avg_pool2d(x, (7, 6)), x)

# batch_norm in training mode: y and gradients, and the running statistics after the update (momentum 0.1, then
# momentum 0.3 from there).
x = torch.randn(3, 4, 5, 6) * 2 + 1
rm, rv = torch.randn(4) * 0.1, torch.rand(4) + 0.5
out["bn_train/running_mean_before"] = rm.clone()
out["bn_train/running_var_before"] = rv.clone()
w, b = torch.randn(4), torch.randn(4)
record("bn_train", lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5), x, w, b)
out["bn_train/running_mean"] = rm.clone()
out["bn_train/running_var"] = rv.clone()
x = torch.randn(5, 3) * 3
rm2, rv2 = torch.zeros(3), torch.ones(3)
record("bn_train_2d", lambda x, w, b: F.batch_norm(x, rm2, rv2, None, None, training=True, momentum=0.3, eps=1e-3), x)
out["bn_train_2d/running_mean"] = rm2.clone()
out["bn_train_2d/running_var"] = rv2.clone()
x = torch.randn(2, 4, 3, 5)
rm3, rv3 = torch.randn(4), torch.rand(4) + 0.5
out["bn_eval/running_mean"] = rm3.clone()
out["bn_eval/running_var"] = rv3.clone()
w, b = torch.randn(4), torch.randn(4)
record("bn_eval", lambda x, w, b: F.batch_norm(x, rm3, rv3, w, b, training=False, eps=1e-5), x, w, b)

# Channel concatenation (a DenseNet/Inception-style join; the second tensor stands in the "w" slot) and
# flatten(start_dim=1) of a feature map.
record("cat_channels", lambda x, w, b: torch.cat([x, w], dim=1), torch.randn(2, 3, 4, 5), torch.randn(2, 2, 4, 5))
record("flatten_1", lambda x, w, b: torch.flatten(x, 1), torch.randn(2, 3, 4, 5))
record("flatten_2_3", lambda x, w, b: torch.flatten(x, 2, 3), torch.randn(2, 3, 4, 5))

grid = torch.linspace(-8, 8, 161).reshape(7, 23)  # includes -6, -3, 0, 3, 6 exactly
for name, fn in [("relu6", F.relu6), ("hardswish", F.hardswish), ("hardsigmoid", F.hardsigmoid), ("silu", F.silu)]:
    record(name, lambda x, w, b, fn=fn: fn(x), grid.clone())

save_file({k: v.contiguous().float().clone() for k, v in out.items()}, sys.argv[1] if len(sys.argv) > 1 else
          "Tests/ModelFilesTests/Fixtures/reference/cnn_ops.safetensors")
