#!/usr/bin/env python3
"""PyTorch's side of nnbench's workloads, for a same-machine, same-minute comparison.

Prints NAME<TAB>MEDIAN_MICROSECONDS lines like nnbench (matmul also NAME_gflops). Needs torch (CPU); the real
model workloads (issue 14) also need transformers and torchvision:
    pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu && pip install transformers
    python3 scripts/bench_pytorch.py [--threads N] [--filter NAME]...

--filter NAME runs only the workloads whose name contains NAME (as nnbench's). The real models use random
weights (transformers' and torchvision's own init), eval mode, torch.no_grad() for the forward-only ones.
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


def slow_us(body):
    """The settings of nnbench's slow workloads: 3 warm-up runs, then at least 15 runs and 3 s."""
    return median_us(body, warmup=3, minimum=15, seconds=3.0)


def quick_us(body):
    """nnbench --quick's slow settings: 1 warm-up run, then at least 3 runs and 0.3 s (at most 20)."""
    for _ in range(1):
        body()
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < 0.3 and len(times) < 20):
        t0 = time.perf_counter()
        body()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def minilm():
    """BertModel with all-MiniLM-L6-v2's configuration, random weights, no pooler, eval."""
    from transformers import BertConfig, BertModel
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2,
                        hidden_act="gelu", layer_norm_eps=1e-12)
    return BertModel(config, add_pooling_layer=False).eval()


def gpt2_small():
    """GPT2LMHeadModel with GPT-2 small's configuration (124M), random weights, eval."""
    from transformers import GPT2Config, GPT2LMHeadModel
    config = GPT2Config(vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12)
    return GPT2LMHeadModel(config).eval()


def real_model_workloads():
    """The six workloads of issue 14, as (name, factory of a step function)."""
    def bert_forward():
        model, ids = minilm(), torch.randint(0, 30522, (1, 128))
        return lambda: model(input_ids=ids).last_hidden_state

    def bert_forward_backward():
        model, ids = minilm(), torch.randint(0, 30522, (1, 128))

        def step():
            model.zero_grad(set_to_none=True)
            model(input_ids=ids).last_hidden_state.sum().backward()
        return step

    def gpt2_forward():
        model, ids = gpt2_small(), torch.randint(0, 50257, (1, 64))
        return lambda: model(input_ids=ids).logits

    def gpt2_forward_backward():
        model, ids = gpt2_small(), torch.randint(0, 50257, (1, 64))

        def step():
            model.zero_grad(set_to_none=True)
            model(input_ids=ids, labels=ids).loss.backward()
        return step

    def vision(name):
        def make():
            import torchvision
            model, image = getattr(torchvision.models, name)().eval(), torch.randn(1, 3, 224, 224)
            return lambda: model(image)
        return make

    return [("bert_minilm_fwd_b1_t128", bert_forward, False),
            ("bert_minilm_fwd_bwd_b1_t128", bert_forward_backward, True),
            ("gpt2_small_fwd_b1_t64", gpt2_forward, False),
            ("gpt2_small_fwd_bwd_b1_t64", gpt2_forward_backward, True),
            ("mobilenet_v2_fwd_b1_224", vision("mobilenet_v2"), False),
            ("resnet18_fwd_b1_224", vision("resnet18"), False)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--filter", action="append", default=[])
    parser.add_argument("--quick", action="store_true", help="nnbench --quick's slow settings: 1 warm-up, 3 runs")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    def selected(name):
        return not args.filter or any(f in name for f in args.filter)

    core_workloads(selected)
    for name, make, with_gradients in real_model_workloads():
        if not selected(name):
            continue
        torch.manual_seed(0)
        step = make()
        timer = quick_us if args.quick else slow_us
        if with_gradients:
            us = timer(step)
        else:
            with torch.no_grad():
                us = timer(step)
        print(f"{name}\t{us:.1f}", flush=True)


def core_workloads(selected):
    mlp = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))
    if selected("seed_mlp_fwd_bwd_2x20"):
        print(f"seed_mlp_fwd_bwd_2x20\t{median_us(forward_backward(mlp, torch.randn(2, 20))):.1f}")

    shared = nn.Linear(8, 8)
    tied = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
    if selected("seed_tied_fwd_bwd_2x4"):
        print(f"seed_tied_fwd_bwd_2x4\t{median_us(forward_backward(tied, torch.randn(2, 4))):.1f}")

    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        optimizer.step()
    if selected("mlp784_train_step_b64"):
        print(f"mlp784_train_step_b64\t{median_us(train_step):.1f}")

    for n in (256, 1024):
        if not selected(f"matmul{n}"):
            continue
        a, b = torch.randn(n, n), torch.randn(n, n)
        us = median_us(lambda: a @ b, warmup=5, minimum=15, seconds=3.0)
        print(f"matmul{n}\t{us:.1f}")
        print(f"matmul{n}_gflops\t{2 * n ** 3 / (us * 1e-6) / 1e9:.1f}")


if __name__ == "__main__":
    main()
