#!/usr/bin/env python3
"""Golden fixtures from an independent NumPy implementation (no torch, no project code).

Writes, under java/cli/src/test/resources/golden/ by default:

  model_logits.safetensors   the shipped model's logits (float32, every position) for a few
                             fixed prompts, with their token ids; prompts in __metadata__
  merged/<adapter>.safetensors
                             for each adapter in adapters/: the merged weights of the targeted
                             modules (HF PEFT merge semantics), and the logits of the adapted
                             model on prompt 1

Everything is computed in float64 from the float32 files and rounded to float32 once at the end,
so the fixtures carry the exact result of the definitions, not one float32 evaluation order.

The adapters themselves (adapters/<name>/adapter_config.json + adapter_model.safetensors) are
written by our own `peft-arena train`; `--retrain` regenerates them (needs the CLI jar).

Usage (from the repository root):
  python3 benchmarks/golden/make_golden.py [--retrain]
"""

import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL = os.path.join("models", "tiny-europarl")
OUT = os.path.join("java", "cli", "src", "test", "resources", "golden")

# Prompts fed as BOS + the UTF-8 bytes of the text (the tokenizer adds no BOS itself:
# tokenizer_config.json has add_bos_token false). The third one has non-ASCII bytes.
PROMPTS = [
    "Resumption of the session. I declare resumed the session of the European Parliament.",
    "123+456=",
    "Señor Presidente, la Comisión está de acuerdo: ¡très bien!",
]

ADAPTED_PROMPT = 1  # the adapted models' logits are recorded for this prompt only (kept small)
TARGETS = r"model\.layers\.0\.self_attn\.k_proj|model\.layers\.3\.self_attn\.v_proj"
# name -> extra `peft-arena train` arguments. Learning rates are large on purpose: the adapters
# must move the weights well past float32 noise (OFT: ||Q|| large enough that the 5-term
# Neumann series differs visibly from the exact Cayley transform).
ADAPTERS = {
    "lora": ["--method", "lora", "--rank", "4", "--alpha", "8", "--lr", "0.02"],
    "dora": ["--method", "dora", "--rank", "4", "--alpha", "16", "--lr", "0.02"],
    "oft-neumann": ["--method", "oft", "--block-size", "16", "--lr", "0.05"],
    "oft-exact": ["--method", "oft", "--block-size", "16", "--cayley", "exact", "--lr", "0.05"],
    "boft": ["--method", "boft", "--block-size", "4", "--butterfly-factors", "2", "--lr", "0.05"],
}
COMMON_TRAIN = ["--targets", TARGETS, "--data", "builtin:addition", "--steps", "3", "--batch-size", "4",
                "--checkpoint-every", "0", "--seed", "7", "--warmup", "0"]

# ----------------------------------------------------------------------------------------------
# safetensors, read and written here (format: u64 LE header length, JSON header, raw LE data)

_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} past the end")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] == "BF16":
            start, end = info["data_offsets"]
            raw = np.frombuffer(data[base + start:base + end], dtype="<u2").astype(np.uint32) << 16
            arr = raw.view(np.float32)
        else:
            dt = np.dtype(_DTYPES[info["dtype"]])
            start, end = info["data_offsets"]
            arr = np.frombuffer(data[base + start:base + end], dtype=dt)
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        if arr.size != count:
            raise ValueError(f"{path}: {name} has {arr.size} values for shape {info['shape']}")
        tensors[name] = arr.reshape(info["shape"])
    return tensors, meta


def write_safetensors(path, tensors, meta=None):
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        arr = tensors[name]
        if arr.dtype == np.float32:
            code, raw = "F32", arr.astype("<f4").tobytes()
        elif arr.dtype == np.int64:
            code, raw = "I64", arr.astype("<i8").tobytes()
        else:
            raise ValueError(f"{name}: unsupported dtype {arr.dtype}")
        header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if meta:
        header["__metadata__"] = {k: str(v) for k, v in meta.items()}
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)


# ----------------------------------------------------------------------------------------------
# byte-level tokenizer: GPT-2's bytes_to_unicode alphabet, looked up in tokenizer.json's vocab


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


class Tokenizer:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
            tok = json.load(f)
        if tok["model"].get("merges"):
            raise ValueError("tokenizer has BPE merges; this script handles the pure byte-level vocabulary only")
        self.vocab = tok["model"]["vocab"]
        self.specials = {t["content"]: t["id"] for t in tok["added_tokens"]}
        self.alphabet = bytes_to_unicode()
        with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
            self.bos = self.specials[json.load(f)["bos_token"]]

    def encode_with_bos(self, text):
        return [self.bos] + [self.vocab[self.alphabet[b]] for b in text.encode("utf-8")]


# ----------------------------------------------------------------------------------------------
# Llama decoder, float64, straight from the Hugging Face modeling_llama definitions


def rope_inv_freq(cfg, head_dim):
    theta = float(cfg.get("rope_theta", 10000.0))
    inv = 1.0 / theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    rs = cfg.get("rope_scaling")
    if rs:
        kind = rs.get("rope_type", rs.get("type"))
        if kind != "llama3":
            raise ValueError(f"rope_scaling {kind} not implemented here")
        factor = rs["factor"]
        low, high = rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wl, high_wl = old / low, old / high
        wl = 2 * math.pi / inv
        scaled = np.where(wl > low_wl, inv / factor, inv)
        smooth = (old / wl - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wl < high_wl) & ~(wl > low_wl)
        inv = np.where(medium, smoothed, scaled)
    return inv


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def silu(x):
    return x / (1.0 + np.exp(-x))


def forward(cfg, w, ids):
    """Logits (T, vocab) for one sequence of token ids, no padding."""
    H = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads", nh)
    hd = cfg.get("head_dim", H // nh)
    eps = cfg["rms_norm_eps"]
    T = len(ids)
    x = w["model.embed_tokens.weight"][np.asarray(ids)]
    pos = np.arange(T, dtype=np.float64)
    freqs = np.outer(pos, rope_inv_freq(cfg, hd))
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    causal = np.triu(np.full((T, T), -np.inf), 1)

    def lin(name, v):
        y = v @ w[name + ".weight"].T
        if name + ".bias" in w:
            y = y + w[name + ".bias"]
        return y

    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin(p + "self_attn.q_proj", h).reshape(T, nh, hd).transpose(1, 0, 2)
        k = lin(p + "self_attn.k_proj", h).reshape(T, nkv, hd).transpose(1, 0, 2)
        v = lin(p + "self_attn.v_proj", h).reshape(T, nkv, hd).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = nh // nkv
        k = np.repeat(k, group, axis=0)  # query head i reads key/value head i // group
        v = np.repeat(v, group, axis=0)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd) + causal
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        s = s / s.sum(axis=-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(T, nh * hd)
        x = x + lin(p + "self_attn.o_proj", a)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + lin(p + "mlp.down_proj", silu(lin(p + "mlp.gate_proj", h)) * lin(p + "mlp.up_proj", h))
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


# ----------------------------------------------------------------------------------------------
# HF PEFT merges (src/peft/tuners/{lora,oft,boft}/layer.py), float64


def skew_from_triu(vec, b):
    """OFT: the stored vector fills the strict upper triangle row-major (triu_indices(b, b, 1)); Q = M - M^T."""
    rows, cols = np.triu_indices(b, 1)
    m = np.zeros((vec.shape[0], b, b))
    m[:, rows, cols] = vec
    return m - m.transpose(0, 2, 1)


def cayley_neumann(q, terms):
    """I + 2Q + 2Q^2 + ... + 2Q^(n-2) + Q^(n-1), HF's series for (I + Q)(I - Q)^-1."""
    b = q.shape[-1]
    r = np.broadcast_to(np.eye(b), q.shape).copy()
    if terms > 1:
        r += 2 * q
        if terms > 2:
            power = q @ q
            r += 2 * power
            for _ in range(3, terms - 1):
                power = power @ q
                r += 2 * power
            power = power @ q
            r += power
    return r


def cayley_exact(s):
    """X with X (I + S) = I - S, i.e. (I - S)(I + S)^-1 (torch.linalg.solve(I + S, I - S, left=False))."""
    eye = np.broadcast_to(np.eye(s.shape[-1]), s.shape)
    # X (I+S) = (I-S)  <=>  (I+S)^T X^T = (I-S)^T
    return np.linalg.solve((eye + s).transpose(0, 2, 1), (eye - s).transpose(0, 2, 1)).transpose(0, 2, 1)


def block_diag(blocks):
    n, b, _ = blocks.shape
    out = np.zeros((n * b, n * b))
    for i in range(n):
        out[i * b:(i + 1) * b, i * b:(i + 1) * b] = blocks[i]
    return out


def butterfly_perm(n, nblocks, r, n_butterfly_factor):
    """HF BOFTLayer.block_butterfly_perm (n_butterfly_factor already minus one)."""
    if n_butterfly_factor == 0:
        return np.arange(n)
    if nblocks * r * 2 > n:
        raise ValueError("invalid number of blocks")
    bs = n // nblocks
    step = bs / r
    order = np.concatenate([np.arange(0, step, 2), np.arange(1, step, 2)]).astype(int)
    sorted_order = np.empty(bs, dtype=int)
    for i, pos in enumerate(order):
        sorted_order[i * r:i * r + r] = np.arange(bs)[pos * r:pos * r + r]
    idx = np.arange(n)
    for i in range(0, n, bs):
        idx[i:i + bs] = idx[i:i + bs][sorted_order]
    return idx


def perm_matrix(idx):
    p = np.zeros((len(idx), len(idx)))
    p[np.arange(len(idx)), idx] = 1.0  # row i picks entry idx[i]
    return p


def merge_module(cfg, t, w0):
    """Merged (out, in) weight of one module. t: this module's adapter tensors, suffix -> float64."""
    kind = cfg["peft_type"]
    if kind == "LORA":
        if cfg.get("use_rslora"):
            raise ValueError("rslora not handled")
        scale = cfg["lora_alpha"] / cfg["r"]
        v = w0 + scale * (t["lora_B.weight"] @ t["lora_A.weight"])
        if not cfg.get("use_dora"):
            return v
        norm = np.linalg.norm(v, axis=1)  # per output row: HF's DoRA weight norm over dim 1
        return (t["lora_magnitude_vector"] / norm)[:, None] * v
    if kind == "OFT":
        b = cfg["oft_block_size"]
        q = skew_from_triu(t["oft_R.weight"], b)
        if cfg.get("use_cayley_neumann", True):
            r = cayley_neumann(q, cfg.get("num_cayley_neumann_terms", 5))
        else:
            r = cayley_exact(q)
        # HF merge: W^T <- R_bd @ W^T, so W = W0 @ R_bd^T
        return w0 @ block_diag(r).T
    if kind == "BOFT":
        rr = t["boft_R"]  # (m, N, b, b), full matrices; the skew part is 0.5 (R - R^T)
        m, nb, b, _ = rr.shape
        n_in = w0.shape[1]
        bf = cfg["boft_n_butterfly_factor"] - 1
        if m != bf + 1:
            raise ValueError(f"boft_R has {m} factors, config says {bf + 1}")
        s = 0.5 * (rr - rr.transpose(0, 1, 3, 2))
        rot = cayley_exact(s.reshape(m * nb, b, b)).reshape(m, nb, b, b)
        mat = None
        for i in range(m):
            p = perm_matrix(butterfly_perm(n_in, nb // 2 ** i, b // 2, bf))
            f = p @ block_diag(rot[i]) @ p.T
            mat = f if mat is None else f @ mat
        return (w0 @ mat.T) * t["boft_s"]  # boft_s (out, 1) scales output rows
    raise ValueError(f"peft_type {kind} not handled")


def targeted_modules(cfg, names):
    import re
    tm = cfg["target_modules"]
    mods = sorted({n[:-len(".weight")] for n in names if n.endswith("_proj.weight")})
    if isinstance(tm, str):
        return [m for m in mods if re.fullmatch(tm, m)]
    return [m for m in mods if m.split(".")[-1] in tm]


def merge_adapter(adapter_dir, base):
    with open(os.path.join(adapter_dir, "adapter_config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    tensors, _ = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
    merged = {}
    for mod in targeted_modules(cfg, base.keys()):
        prefix = "base_model.model." + mod + "."
        t = {k[len(prefix):]: v.astype(np.float64) for k, v in tensors.items() if k.startswith(prefix)}
        if not t:
            raise ValueError(f"{adapter_dir}: no tensors for {mod}")
        merged[mod + ".weight"] = merge_module(cfg, t, base[mod + ".weight"])
    used = {k for k in tensors if any(k.startswith("base_model.model." + n[:-len("weight")]) for n in merged)}
    if used != set(tensors):
        raise ValueError(f"{adapter_dir}: tensors of no targeted module: {sorted(set(tensors) - used)}")
    return cfg, merged


def sensitivity(cfg, adapter_dir, base, merged):
    """How far some plausible mistakes land from the golden (max abs over the targeted weights)."""
    tensors, _ = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
    out = {"base": max(np.abs(merged[n] - base[n]).max() for n in merged)}
    kind = cfg["peft_type"]
    variants = {}  # label -> (cfg, tensors) -> (cfg', tensors')
    if kind == "LORA":
        variants["scale 1"] = lambda c, t: (dict(c, lora_alpha=c["r"]), t)
        if cfg.get("use_dora"):
            variants["no dora"] = lambda c, t: (dict(c, use_dora=False), t)
    elif kind == "OFT":
        variants["other cayley"] = lambda c, t: (dict(c, use_cayley_neumann=not c.get("use_cayley_neumann", True)), t)
        variants["R not transposed"] = lambda c, t: (c, dict(t, **{"oft_R.weight": -t["oft_R.weight"]}))
        if cfg.get("use_cayley_neumann", True):
            variants["4 terms"] = lambda c, t: (dict(c, num_cayley_neumann_terms=4), t)
            variants["6 terms"] = lambda c, t: (dict(c, num_cayley_neumann_terms=6), t)
    elif kind == "BOFT":
        variants["first factor only"] = lambda c, t: (dict(c, boft_n_butterfly_factor=1), dict(t, boft_R=t["boft_R"][:1]))
        variants["no boft_s"] = lambda c, t: (c, dict(t, boft_s=np.ones_like(t["boft_s"])))
        variants["factors reversed"] = lambda c, t: (c, dict(t, boft_R=t["boft_R"][::-1]))
    for label, change in variants.items():
        worst = 0.0
        for n in merged:
            prefix = "base_model.model." + n[:-len("weight")]
            t = {k[len(prefix):]: v.astype(np.float64) for k, v in tensors.items() if k.startswith(prefix)}
            vc, vt = change(cfg, t)
            worst = max(worst, np.abs(merge_module(vc, vt, base[n]) - merged[n]).max())
        out[label] = worst
    return out


# ----------------------------------------------------------------------------------------------


def retrain(adapters_dir):
    launcher = os.path.join(ROOT, "peft-arena")
    for name, args in ADAPTERS.items():
        tmp = os.path.join(adapters_dir, name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        cmd = [launcher, "train", "--base", MODEL] + args + COMMON_TRAIN + ["--out", tmp]
        print("+", " ".join(cmd), flush=True)
        # the fixtures live under java/, which would make the launcher rebuild the jar every time
        env = dict(os.environ, PEFT_ARENA_NO_REBUILD="1")
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
        dst = os.path.join(adapters_dir, name)
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        with open(os.path.join(tmp, "adapter_config.json"), encoding="utf-8") as f:
            cfg = json.load(f)
        cfg["base_model_name_or_path"] = MODEL  # not the absolute path of the machine that trained it
        with open(os.path.join(dst, "adapter_config.json"), "w", encoding="utf-8") as f:
            json.dump(cfg, f, indent=2)
            f.write("\n")
        shutil.copy(os.path.join(tmp, "adapter_model.safetensors"), dst)
        shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=OUT, help="fixture directory (relative to the repository root)")
    ap.add_argument("--retrain", action="store_true", help="first regenerate adapters/ with ./peft-arena train")
    a = ap.parse_args()
    os.chdir(ROOT)
    out = a.out
    adapters_dir = os.path.join(out, "adapters")
    if a.retrain:
        retrain(adapters_dir)

    with open(os.path.join(MODEL, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    raw, _ = read_safetensors(os.path.join(MODEL, "model.safetensors"))
    base = {k: v.astype(np.float64) for k, v in raw.items()}
    tok = Tokenizer(MODEL)

    tensors, meta = {}, {"format": "pt", "model": MODEL, "prompts": str(len(PROMPTS)),
                         "note": "logits float64-evaluated, rounded to float32; tokens are BOS + UTF-8 bytes"}
    for i, text in enumerate(PROMPTS):
        ids = tok.encode_with_bos(text)
        logits = forward(cfg, base, ids)
        tensors[f"tokens.{i}"] = np.asarray(ids, dtype=np.int64)
        tensors[f"logits.{i}"] = logits.astype(np.float32)
        meta[f"prompt.{i}"] = text
        print(f"prompt {i}: {len(ids)} tokens, logits |max| {np.abs(logits).max():.3f}, "
              f"argmax of last {int(np.argmax(logits[-1]))}")
    write_safetensors(os.path.join(out, "model_logits.safetensors"), tensors, meta)

    for name in sorted(os.listdir(adapters_dir)):
        d = os.path.join(adapters_dir, name)
        if not os.path.isfile(os.path.join(d, "adapter_config.json")):
            continue
        acfg, merged = merge_adapter(d, base)
        w = dict(base)
        w.update(merged)
        ids = tok.encode_with_bos(PROMPTS[ADAPTED_PROMPT])
        logits = forward(cfg, w, ids)
        t = {k: v.astype(np.float32) for k, v in merged.items()}
        t["tokens"] = np.asarray(ids, dtype=np.int64)
        t["logits"] = logits.astype(np.float32)
        write_safetensors(os.path.join(out, "merged", name + ".safetensors"), t,
                          {"format": "pt", "adapter": name, "modules": ",".join(sorted(merged)),
                           "prompt": PROMPTS[ADAPTED_PROMPT]})
        sens = sensitivity(acfg, d, base, merged)
        dlog = np.abs(logits - forward(cfg, base, ids)).max()
        print(f"{name}: {', '.join(sorted(merged))}; max |merged - W0| {sens.pop('base'):.3g}, "
              f"max |logits - base logits| {dlog:.3g}; mistakes land at "
              + ", ".join(f"{k} {v:.3g}" for k, v in sens.items()))


if __name__ == "__main__":
    sys.exit(main())
