#!/usr/bin/env python3
"""PyTorch / HF PEFT baselines for the GPU check, timed with CUDA events on the same shapes.

Reads the bench plan written by gpu_check (bench_plan.json) so both time identical work; falls
back to the built-in plan below when the binary did not run. Every optional import is guarded:
without torch or a GPU the script records why and exits 0 with an empty result list.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

DEFAULT_PLAN = (
    [{"op": "cayley", "batch": 65536, "b": 32, "terms": t} for t in (5, 0)]
    + [{"op": "cayley", "batch": 262144, "b": 16, "terms": 5},
       {"op": "cayley", "batch": 16384, "b": 64, "terms": 5},
       {"op": "cayley", "batch": 4096, "b": 128, "terms": 5}]
    + [{"op": "block_rotate", "rows": 16384, "n": 4096, "b": b, "transpose": t}
       for b, t in ((32, 0), (32, 1), (16, 0), (64, 0), (128, 0))]
    + [{"op": "svd", "batch": 65536, "m": 32, "n": 32, "want_uv": 0},
       {"op": "svd", "batch": 65536, "m": 32, "n": 32, "want_uv": 1},
       {"op": "svd", "batch": 65536, "m": 16, "n": 16, "want_uv": 1},
       {"op": "svd", "batch": 8192, "m": 64, "n": 64, "want_uv": 1},
       {"op": "svd", "batch": 1024, "m": 128, "n": 128, "want_uv": 1},
       {"op": "procrustes", "batch": 4096, "rows": 256, "d": 32}]
    + [{"op": "block_cross", "rows": 16384, "n": 4096, "b": b} for b in (32, 16, 64, 128)]
    + [{"op": "cayley_vjp", "batch": 65536, "b": 32, "terms": t} for t in (5, 0)]
    + [{"op": "cayley_vjp", "batch": 4096, "b": 128, "terms": t} for t in (5, 0)]
)


def key_of(e):
    """Same key strings as gpu_check's bench plan."""
    if "key" in e:
        return e["key"]
    op = e["op"]
    if op == "cayley":
        return f"cayley terms={e['terms']} batch={e['batch']} b={e['b']}"
    if op == "block_rotate":
        return f"block_rotate{'_t' if e['transpose'] else ''} rows={e['rows']} n={e['n']} b={e['b']}"
    if op == "block_cross":
        return f"block_cross rows={e['rows']} n={e['n']} b={e['b']}"
    if op == "cayley_vjp":
        return f"cayley_vjp terms={e['terms']} batch={e['batch']} b={e['b']}"
    if op == "svd":
        return f"svd{'_uv' if e['want_uv'] else ''} batch={e['batch']} {e['m']}x{e['n']}"
    return f"procrustes batch={e['batch']} rows={e['rows']} d={e['d']}"


def time_cuda(torch, fn, repeats):
    torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    if time.perf_counter() - start > 0.5:  # a slow op (torch's batched SVD at d >= 64): fewer runs
        repeats = min(repeats, 3)
    else:
        for _ in range(2):
            fn()
        torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    return statistics.median(times)


def skew(torch, q, b):
    rows, cols = torch.triu_indices(b, b, 1, device=q.device)
    m = torch.zeros(q.shape[0], b, b, device=q.device, dtype=q.dtype)
    m[:, rows, cols] = q
    return m - m.transpose(-2, -1)


def neumann(torch, q, b, terms):
    """HF PEFT's _cayley_batch (Cayley-Neumann branch), skew construction included."""
    qs = skew(torch, q, b)
    r = torch.eye(b, device=q.device, dtype=q.dtype).repeat(q.shape[0], 1, 1)
    if terms > 1:
        r.add_(qs, alpha=2.0)
        if terms > 2:
            q2 = torch.bmm(qs, qs)
            r.add_(q2, alpha=2.0)
            qp = q2
            for _ in range(3, terms - 1):
                qp = torch.bmm(qp, qs)
                r.add_(qp, alpha=2.0)
            qp = torch.bmm(qp, qs)
            r.add_(qp)
    return r


def exact(torch, q, b):
    qs = skew(torch, q, b)
    eye = torch.eye(b, device=q.device, dtype=q.dtype).expand_as(qs)
    return torch.linalg.solve(eye + qs, eye - qs, left=False)


def build(torch, e, dev):
    g = torch.Generator(device=dev).manual_seed(1234)
    op = e["op"]
    if op == "cayley":
        b = e["b"]
        q = torch.randn(e["batch"], b * (b - 1) // 2, device=dev, generator=g) * (0.4 / math.sqrt(b))
        if e["terms"] == 0:
            return "torch.linalg.solve (I+Q)X=(I-Q)", lambda: exact(torch, q, b)
        return "HF PEFT Neumann bmm chain", lambda: neumann(torch, q, b, e["terms"])
    if op == "block_rotate":
        b, n, rows = e["b"], e["n"], e["rows"]
        x = torch.randn(rows, n, device=dev, generator=g)
        r = torch.randn(n // b, b, b, device=dev, generator=g) * 0.2
        rr = r.transpose(-2, -1) if e["transpose"] else r
        return "einsum ...rk,rkc->...rc (HF OFT)", lambda: torch.einsum("...rk,rkc->...rc", x.view(rows, n // b, b), rr).reshape(rows, n)
    if op == "block_cross":
        b, n, rows = e["b"], e["n"], e["rows"]
        x = torch.randn(rows, n, device=dev, generator=g)
        gr = torch.randn(rows, n, device=dev, generator=g)
        # out[j] = X_j^T G_j: bmm of [n/b, b, rows] and [n/b, rows, b]
        return "torch.bmm of the permuted blocks", lambda: torch.bmm(
            x.view(rows, n // b, b).permute(1, 2, 0), gr.view(rows, n // b, b).transpose(0, 1))
    if op == "cayley_vjp":
        b = e["b"]
        q = (torch.randn(e["batch"], b * (b - 1) // 2, device=dev, generator=g) * (0.4 / math.sqrt(b))).requires_grad_(True)
        with torch.enable_grad():
            r = exact(torch, q, b) if e["terms"] == 0 else neumann(torch, q, b, e["terms"])
        gr = torch.randn(r.shape, device=dev, generator=g)
        name = "autograd backward of " + ("torch.linalg.solve" if e["terms"] == 0 else "the HF PEFT Neumann bmm chain")
        return name, lambda: torch.autograd.grad(r, q, gr, retain_graph=True)
    if op == "svd":
        a = torch.randn(e["batch"], e["m"], e["n"], device=dev, generator=g)
        if e["want_uv"]:
            return "torch.linalg.svd(full_matrices=False)", lambda: torch.linalg.svd(a, full_matrices=False)
        return "torch.linalg.svdvals", lambda: torch.linalg.svdvals(a)
    x1 = torch.randn(e["batch"], e["rows"], e["d"], device=dev, generator=g)
    x0 = torch.randn(e["batch"], e["rows"], e["d"], device=dev, generator=g)

    def procrustes():
        m = x1.transpose(-2, -1) @ x0
        u, s, vh = torch.linalg.svd(m)
        rot = u @ vh
        res = (x1.square().sum((-2, -1)) + x0.square().sum((-2, -1)) - 2 * s.sum(-1)).clamp_min(0).sqrt()
        return rot, res
    return "bmm + torch.linalg.svd", procrustes


def peft_oft(torch, dev, repeats, results):
    """HF PEFT's own OFT rotation module forward (Cayley-Neumann + block rotation), if importable."""
    try:
        from peft.tuners.oft.layer import OFTRotationModule
    except Exception as exc:  # noqa: BLE001 - any import problem just skips this baseline
        results.append({"key": "peft_oft_forward", "error": f"peft unavailable: {exc}"})
        return
    for rows, n, b in ((16384, 4096, 32),):
        key = f"peft_oft_forward rows={rows} n={n} b={b}"
        try:
            mod = OFTRotationModule(n // b, b * (b - 1) // 2, b, n, use_cayley_neumann=True,
                                    num_cayley_neumann_terms=5).to(dev)
            with torch.no_grad():
                mod.weight.normal_(0, 0.4 / math.sqrt(b))
            x = torch.randn(rows, n, device=dev)
            with torch.no_grad():
                ms = time_cuda(torch, lambda: mod(x), repeats)
            results.append({"key": key, "baseline": "peft OFTRotationModule.forward", "ms": ms})
        except Exception as exc:  # noqa: BLE001
            results.append({"key": key, "error": repr(exc)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", help="bench_plan.json written by gpu_check")
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--dry-run", action="store_true", help="print the plan, time nothing")
    args = ap.parse_args()
    plan = DEFAULT_PLAN
    if args.plan and os.path.exists(args.plan):
        with open(args.plan) as f:
            plan = json.load(f)
    doc = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "results": []}
    if args.dry_run:
        doc["plan"] = [key_of(e) for e in plan]
        print("\n".join(doc["plan"]))
    else:
        try:
            import torch
            doc["torch"] = torch.__version__
            if not torch.cuda.is_available():
                raise RuntimeError("torch.cuda.is_available() is False")
            dev = torch.device("cuda")
            doc["device"] = torch.cuda.get_device_name(0)
            torch.backends.cuda.matmul.allow_tf32 = False
            for e in plan:
                key = key_of(e)
                try:
                    name, fn = build(torch, e, dev)
                    with torch.no_grad():
                        ms = time_cuda(torch, fn, args.repeats)
                    doc["results"].append({"key": key, "baseline": name, "ms": ms})
                    print(f"  baseline {key:<48} {ms:9.3f} ms  ({name})", flush=True)
                except Exception as exc:  # noqa: BLE001 - one failing op must not stop the others
                    doc["results"].append({"key": key, "error": repr(exc)})
                    print(f"  baseline {key:<48} FAILED {exc!r}", flush=True)
                finally:
                    torch.cuda.empty_cache()
                    write_doc(args.out, doc)  # what was timed survives a phase time limit
            peft_oft(torch, dev, args.repeats, doc["results"])
        except Exception as exc:  # noqa: BLE001
            doc["error"] = repr(exc)
            print(f"baseline unavailable: {exc!r}", file=sys.stderr)
    write_doc(args.out, doc)
    return 0


def write_doc(path, doc):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
