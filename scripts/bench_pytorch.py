#!/usr/bin/env python3
"""PyTorch's side of nnbench's core workloads, for a same-machine, same-minute comparison.

Prints NAME<TAB>MEDIAN_MICROSECONDS lines like nnbench (matmul also NAME_gflops). Needs torch (CPU):
    pip install torch --index-url https://download.pytorch.org/whl/cpu
    python3 scripts/bench_pytorch.py [--threads N]
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn


def median_us(body, warmup=20, minimum=31, seconds=2.0):
    for _ in range(warmup):
        body()
    times = []
    start = time.perf_counter()
    while len(times) < minimum or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def forward_backward(net, x):
    def step():
        net.zero_grad(set_to_none=True)
        net(x).sum().backward()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    mlp = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))
    print(f"seed_mlp_fwd_bwd_2x20\t{median_us(forward_backward(mlp, torch.randn(2, 20))):.1f}")

    shared = nn.Linear(8, 8)
    tied = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
    print(f"seed_tied_fwd_bwd_2x4\t{median_us(forward_backward(tied, torch.randn(2, 4))):.1f}")

    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        optimizer.step()
    print(f"mlp784_train_step_b64\t{median_us(train_step):.1f}")

    for n in (256, 1024):
        a, b = torch.randn(n, n), torch.randn(n, n)
        us = median_us(lambda: a @ b, warmup=5, minimum=15, seconds=3.0)
        print(f"matmul{n}\t{us:.1f}")
        print(f"matmul{n}_gflops\t{2 * n ** 3 / (us * 1e-6) / 1e9:.1f}")


if __name__ == "__main__":
    main()
