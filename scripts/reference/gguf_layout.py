"""What the reference scripts share about writing a Llama-family model as llama.cpp's converter does: the GGUF
metadata of its config and transformers' tensor names mapped to llama.cpp's (`model.layers.N.self_attn.q_proj.weight`
→ `blk.N.attn_q.weight`). Imported by llama_rope_scaling.py and gguf_qwen2.py."""

NAMES = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
         "lm_head.weight": "output.weight"}
BLOCKS = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm", "self_attn.q_proj": "attn_q",
          "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
          "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}


def add_config(writer, config):
    """The `ARCH.*` keys llama.cpp reads for the sizes, norm epsilon and RoPE base."""
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_freq_base(config.rope_parameters["rope_theta"])
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)


def gguf_name(key):
    """llama.cpp's name of transformers tensor `key` (weights and biases)."""
    if key in NAMES:
        return NAMES[key]
    parts = key.split(".")
    return f"blk.{parts[2]}.{BLOCKS['.'.join(parts[3:-1])]}.{parts[-1]}"
