#!/usr/bin/env python3
"""Golden files from Hugging Face transformers and peft, for the Java tests under golden/hf/.

Runs where transformers, peft and torch are installed (the GPU check machine). Inputs are the
files the NumPy goldens use (java/cli/src/test/resources/golden/): the shipped model
models/tiny-europarl, the token ids of the fixed prompts (model_logits.safetensors) and the
adapters written by our own `peft-arena train` (adapters/lora, dora, oft-neumann, oft-exact, boft).
Writes, under --out (default $OUT/hf-goldens), in the NumPy goldens' layout:

  model_logits.safetensors      LlamaForCausalLM's logits of every prompt (float64 on the CPU,
                                rounded to float32 once), tokens.i, prompts and versions in
                                __metadata__
  merged/<adapter>.safetensors  peft's merge_and_unload() weights of the targeted modules and
                                the adapted model's logits on the adapted prompt
  report.json                   every check below, with its numbers

Checks (each recorded; exit 1 if one fails): every tensor of each adapter file is loaded by peft
into the model unchanged (no silently missing or renamed key); HF vs the NumPy goldens (logits
within 2e-4, merged weights within 1e-6: two float64 evaluations of the same definitions);
peft's unmerged forward vs its merged forward; and, with CUDA, the float32 forward on the GPU
(TF32 off) against the float64 logits.

Copy the output to java/cli/src/test/resources/golden/hf/ to enable HfGoldenTest.
Without torch, transformers or peft: writes report.json saying which import failed, exits 0.
"""
import argparse
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "java", "cli", "src", "test", "resources", "golden")
MODEL = os.path.join(ROOT, "models", "tiny-europarl")
ADAPTERS = ("lora", "dora", "oft-neumann", "oft-exact", "boft")
LOGIT_TOL = 2e-4   # as GoldenForwardTest.LOGIT_TOL
WEIGHT_TOL = 1e-6  # as GoldenMergeTest.WEIGHT_TOL
# The shipped adapters move the adapted prompt's logits by 1.0 (LoRA) to 7.9 (OFT exact) in the
# NumPy goldens; an adapter that moves them by less than this never reached the forward pass.
ADAPTER_EFFECT_MIN = 1e-2

sys.path.insert(0, os.path.join(ROOT, "benchmarks", "golden"))


class Report:
    def __init__(self):
        self.records = []

    def add(self, what, ok, **numbers):
        self.records.append({"check": what, "pass": bool(ok), **numbers})
        shown = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in numbers.items())
        print(f"[{'ok' if ok else 'FAIL'}] {what}: {shown}")

    def failures(self):
        return sum(1 for r in self.records if not r["pass"])


def max_abs(a, b):
    import numpy as np
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def load_model(torch, transformers):
    model = transformers.LlamaForCausalLM.from_pretrained(MODEL, attn_implementation="eager")
    return model.to(torch.float64).eval()


def logits_of(torch, model, ids, device="cpu"):
    with torch.no_grad():
        t = torch.tensor([list(int(i) for i in ids)], dtype=torch.long, device=device)
        return model(input_ids=t).logits[0].double().cpu().numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.environ.get("OUT", os.path.join(ROOT, "build", "gpu-check-out")),
                                                  "hf-goldens"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    report = Report()
    summary = {"records": report.records}

    def finish(code, why=None):
        if why:
            summary["skipped"] = why
            print(f"hf_goldens: {why}")
        summary["failures"] = report.failures()
        with open(os.path.join(args.out, "report.json"), "w") as f:
            json.dump(summary, f, indent=1)
        return code

    try:
        import numpy as np
        import torch
        import transformers
        import peft
        from peft.utils import get_peft_model_state_dict
        from make_golden import read_safetensors, write_safetensors
    except ImportError as e:
        return finish(0, f"cannot import what the HF goldens need: {e}")
    summary.update(torch=torch.__version__, transformers=transformers.__version__, peft=peft.__version__)
    torch.manual_seed(0)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    meta_common = {"format": "pt", "producer": "transformers " + transformers.__version__ + ", peft "
                   + peft.__version__ + ", torch " + torch.__version__ + ", float64 on the CPU"}

    numpy_logits, numpy_meta = read_safetensors(os.path.join(GOLDEN, "model_logits.safetensors"))
    prompts = int(numpy_meta["prompts"])
    model = load_model(torch, transformers)
    tensors = {}
    meta = dict(meta_common, model="models/tiny-europarl", prompts=str(prompts),
                note="logits float64-evaluated by LlamaForCausalLM, rounded to float32; tokens are BOS + UTF-8 bytes")
    for i in range(prompts):
        ids = numpy_logits[f"tokens.{i}"]
        lg = logits_of(torch, model, ids)
        tensors[f"tokens.{i}"] = np.asarray(ids, dtype=np.int64)
        tensors[f"logits.{i}"] = lg.astype(np.float32)
        meta[f"prompt.{i}"] = numpy_meta[f"prompt.{i}"]
        err = max_abs(lg, numpy_logits[f"logits.{i}"])
        report.add(f"base logits prompt {i}: transformers vs NumPy golden", err <= LOGIT_TOL, max_abs=err,
                   tokens=len(ids))
    write_safetensors(os.path.join(args.out, "model_logits.safetensors"), tensors, meta)

    if torch.cuda.is_available():
        gpu = transformers.LlamaForCausalLM.from_pretrained(MODEL, attn_implementation="eager").float().cuda().eval()
        for i in range(prompts):
            err = max_abs(logits_of(torch, gpu, numpy_logits[f"tokens.{i}"], "cuda"), tensors[f"logits.{i}"])
            report.add(f"base logits prompt {i}: float32 on {torch.cuda.get_device_name()} vs float64",
                       err <= LOGIT_TOL, max_abs=err)
        del gpu

    boft_note = patch_boft(torch, peft)
    if boft_note:
        summary["boft"] = boft_note
        print(f"hf_goldens: {boft_note}")
    for name in ADAPTERS:
        try:
            check_adapter(name, np, torch, transformers, peft, get_peft_model_state_dict, read_safetensors,
                          write_safetensors, meta_common, report, args.out)
        except Exception as e:  # one adapter's failure is recorded; the others still run
            report.add(f"{name}: peft loads and merges the adapter", False, error=f"{type(e).__name__}: {e}"[:400])
    print(f"hf_goldens: {len(report.records)} checks, {report.failures()} failed; files in {args.out}")
    return finish(1 if report.failures() else 0)


def patch_boft(torch, peft):
    """peft builds BOFT with n_butterfly_factor > 1 only when its fbd_cuda extension compiles, and
    otherwise silently resets the factor to 1 (our adapters use 2). Where the extension does not
    build, give peft the same block-diagonal assembly in plain torch (FastBlockDiag.forward stacks
    torch.block_diag of each factor's blocks), so its own BOFT code runs at the adapter's factor."""
    try:
        from peft.tuners.boft import layer as boft_layer
    except ImportError:
        return None
    try:
        if boft_layer.get_fbd_cuda():
            return None
    except Exception:
        pass

    class TorchBlockDiag:
        @staticmethod
        def apply(blocks):  # (N, D, H, H) -> (N, D*H, D*H)
            return torch.stack([torch.block_diag(*torch.unbind(f)) for f in torch.unbind(blocks)])

    boft_layer.FastBlockDiag = TorchBlockDiag
    boft_layer.get_fbd_cuda = lambda: True
    return ("peft's fbd_cuda extension did not build here; its FastBlockDiag was replaced by torch.block_diag "
            "per butterfly factor so BOFT runs at the adapter's n_butterfly_factor")


def check_adapter(name, np, torch, transformers, peft, get_peft_model_state_dict, read_safetensors, write_safetensors,
                  meta_common, report, out_dir):
    adir = os.path.join(GOLDEN, "adapters", name)
    golden, gmeta = read_safetensors(os.path.join(GOLDEN, "merged", name + ".safetensors"))
    modules = gmeta["modules"].split(",")
    ids = golden["tokens"]
    base = load_model(torch, transformers)
    pm = peft.PeftModel.from_pretrained(base, adir, is_trainable=False).to(torch.float64).eval()
    # every tensor of the file must have reached the model unchanged
    file_tensors, _ = read_safetensors(os.path.join(adir, "adapter_model.safetensors"))
    loaded = {k: v.detach().double().cpu().numpy() for k, v in get_peft_model_state_dict(pm).items()}
    missing = sorted(set(file_tensors) - set(loaded))
    extra = sorted(set(loaded) - set(file_tensors))
    worst = max([max_abs(loaded[k], file_tensors[k]) for k in file_tensors if k in loaded] or [0.0])
    report.add(f"{name}: peft loads every adapter tensor unchanged", not missing and not extra and worst <= 1e-7,
               missing=",".join(missing) or "none", unexpected=",".join(extra) or "none", max_abs=worst)
    base_logits = logits_of(torch, load_model(torch, transformers), ids)
    unmerged = logits_of(torch, pm, ids)
    # guards the checks below against an adapter that never reached the forward pass
    moved = max_abs(unmerged, base_logits)
    report.add(f"{name}: the adapter changes the logits (unmerged vs base)", moved > ADAPTER_EFFECT_MIN, max_abs=moved)
    merged_model = pm.merge_and_unload()
    merged_logits = logits_of(torch, merged_model, ids)
    sd = merged_model.state_dict()
    out = {m: sd[m].detach().double().cpu().numpy().astype(np.float32) for m in modules}
    out["tokens"] = np.asarray(ids, dtype=np.int64)
    out["logits"] = merged_logits.astype(np.float32)
    write_safetensors(os.path.join(out_dir, "merged", name + ".safetensors"), out,
                      dict(meta_common, adapter=name, modules=",".join(modules), prompt=gmeta.get("prompt", "")))
    err = max_abs(unmerged, merged_logits)
    report.add(f"{name}: peft unmerged vs merged logits", err <= LOGIT_TOL, max_abs=err)
    err = max_abs(merged_logits, golden["logits"])
    report.add(f"{name}: adapted logits, peft vs NumPy golden", err <= LOGIT_TOL, max_abs=err)
    for m in modules:
        err = max_abs(out[m], golden[m])
        report.add(f"{name}: merged {m}, peft vs NumPy golden", err <= WEIGHT_TOL, max_abs=err)


if __name__ == "__main__":
    sys.exit(main())
