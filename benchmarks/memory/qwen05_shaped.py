#!/usr/bin/env python3
"""Writes a randomly initialised decoder of Qwen2.5-0.5B's shape (494M parameters, bfloat16, two
safetensors shards with an index) to a directory, for memory and speed measurements of training on a
model of real size. Needs only numpy. The weights are noise: never commit them.

usage: qwen05_shaped.py OUT_DIR [--tokenizer-from DIR] [--seed N]

The tokenizer files (tokenizer.json, tokenizer_config.json) are copied from --tokenizer-from
(default: models/tiny-europarl, a byte-level tokenizer whose ids all lie in the vocabulary);
config.json names that tokenizer's special ids.
"""
import argparse
import json
import os
import shutil
import struct

import numpy as np

CONFIG = {
    "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
    "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
    "num_attention_heads": 14, "num_key_value_heads": 2, "max_position_embeddings": 32768,
    "max_window_layers": 24, "sliding_window": 32768, "use_sliding_window": False,
    "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "tie_word_embeddings": True,
    "attention_dropout": 0.0, "initializer_range": 0.02, "torch_dtype": "bfloat16", "use_cache": True,
}


def shapes(c):
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    kv = c["num_key_value_heads"] * d // c["num_attention_heads"]
    out = [("model.embed_tokens.weight", (v, d))]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out += [(p + "input_layernorm.weight", (d,)),
                (p + "self_attn.q_proj.weight", (d, d)), (p + "self_attn.q_proj.bias", (d,)),
                (p + "self_attn.k_proj.weight", (kv, d)), (p + "self_attn.k_proj.bias", (kv,)),
                (p + "self_attn.v_proj.weight", (kv, d)), (p + "self_attn.v_proj.bias", (kv,)),
                (p + "self_attn.o_proj.weight", (d, d)),
                (p + "post_attention_layernorm.weight", (d,)),
                (p + "mlp.gate_proj.weight", (f, d)), (p + "mlp.up_proj.weight", (f, d)),
                (p + "mlp.down_proj.weight", (d, f))]
    out.append(("model.norm.weight", (d,)))
    return out


def bf16_bytes(x):
    """float32 array -> bfloat16 little-endian bytes, rounded to nearest even."""
    u = x.astype(np.float32).view(np.uint32)
    u = u + (np.uint32(0x7FFF) + ((u >> np.uint32(16)) & np.uint32(1)))
    return (u >> np.uint32(16)).astype("<u2").tobytes()


def write_shard(path, tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape, data in tensors:
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for _, _, data in tensors:
            f.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--tokenizer-from", default=os.path.join(here, "..", "..", "models", "tiny-europarl"))
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    specs = shapes(CONFIG)
    total = sum(int(np.prod(s)) for _, s in specs)
    half, done, names = total // 2, 0, {}
    files = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    shards = [[], []]
    for name, shape in specs:
        n = int(np.prod(shape))
        if name.endswith("layernorm.weight") or name == "model.norm.weight":
            x = np.ones(n, np.float32)
        else:
            x = rng.standard_normal(n, dtype=np.float32) * 0.02
        index = 0 if done < half else 1
        if index == 1 and shards[0] is not None:
            write_shard(os.path.join(a.out, files[0]), shards[0])
            shards[0] = None
        shards[index].append((name, shape, bf16_bytes(x)))
        names[name] = files[index]
        done += n
    write_shard(os.path.join(a.out, files[1]), shards[1])
    with open(os.path.join(a.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total * 2}, "weight_map": names}, f, indent=1)
    tok = a.tokenizer_from
    for fn in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(tok, fn), os.path.join(a.out, fn))
    with open(os.path.join(tok, "config.json")) as f:
        tc = json.load(f)
    config = dict(CONFIG, bos_token_id=tc.get("bos_token_id"), eos_token_id=tc.get("eos_token_id"),
                  pad_token_id=tc.get("pad_token_id"))
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    print(f"{total} parameters, {total * 2 / 1e9:.3f} GB bf16 in {a.out}")


if __name__ == "__main__":
    main()
