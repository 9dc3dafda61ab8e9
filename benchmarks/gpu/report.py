#!/usr/bin/env python3
"""Joins gpu_check results with the PyTorch baselines into one table (stdout + summary.md/.json).

Columns: op, shape, ours ms, baseline ms, speed-up (baseline / ours), bandwidth floor ms,
ours / floor, and the worst correctness error of that op (error / tolerance, <= 1 passes).
Target verdicts: batched 32x32 SVD >= 2x faster than torch.linalg.svd; Cayley (b=32) and block
rotation (b=32) within 2x of the bandwidth floor.

With --zero-copy and --hf it adds the zero-copy contract checks and timings (zero_copy.py) and the
Hugging Face golden checks (hf_goldens.py), and writes results/gpu-check-<date>.md + .json under
--out: the file to commit to benchmarks/results/ (device, date, command and every number).
"""
import argparse
import datetime
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except Exception as exc:  # noqa: BLE001 - a missing phase is reported, not fatal
        print(f"report: cannot read {path}: {exc}", file=sys.stderr)
        return None


def fmt(v, spec="{:.3f}"):
    return "-" if v is None else spec.format(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--out", required=True, help="directory for summary.md / summary.json")
    ap.add_argument("--zero-copy", help="zero_copy.json of zero_copy.py")
    ap.add_argument("--hf", help="report.json of hf_goldens.py")
    ap.add_argument("--command", default="bash benchmarks/gpu/check.sh", help="command line recorded in the results")
    args = ap.parse_args()
    check = load(args.check) or {"records": [], "failures": None, "header": {}}
    base = load(args.baseline) or {"results": []}
    base_ms = {r["key"]: r.get("ms") for r in base.get("results", [])}
    base_name = {r["key"]: r.get("baseline", r.get("error", "")) for r in base.get("results", [])}
    worst = {}
    for r in check["records"]:
        if r["phase"] == "correctness" and r.get("ratio") is not None:
            op = next((b for b in ("cayley_vjp", "cayley", "block_rotate") if r["op"].startswith(b)), r["op"])
            worst[op] = max(worst.get(op, 0.0), r["ratio"])
    rows = []
    for r in check["records"]:
        if r["phase"] != "bench":
            continue
        key = r["shape"]
        ours, floor = r.get("ms"), r.get("floor_ms")
        bl = base_ms.get(key)
        rows.append({
            "op": r["op"], "shape": key, "ours_ms": ours, "baseline_ms": bl, "baseline": base_name.get(key, ""),
            "speedup": (bl / ours) if (bl and ours) else None, "floor_ms": floor,
            "x_floor": (ours / floor) if (ours and floor) else None, "max_err_over_tol": worst.get(r["op"]),
        })
    for r in base.get("results", []):
        if r["key"].startswith("peft_"):
            rows.append({"op": "peft_oft", "shape": r["key"], "ours_ms": None, "baseline_ms": r.get("ms"),
                         "baseline": r.get("baseline", r.get("error", "")), "speedup": None, "floor_ms": None,
                         "x_floor": None, "max_err_over_tol": None})

    def find(prefix):
        return next((x for x in rows if x["shape"].startswith(prefix)), None)

    verdicts = []
    svd = find("svd_uv batch=65536 32x32")
    if svd and svd["speedup"]:
        verdicts.append(f"SVD 32x32 x{svd['speedup']:.2f} vs torch.linalg.svd (target >= 2): "
                        + ("met" if svd["speedup"] >= 2 else "MISSED"))
    for prefix, label in (("cayley terms=5 batch=65536 b=32", "Cayley-Neumann b=32"),
                          ("cayley terms=0 batch=65536 b=32", "Cayley exact b=32"),
                          ("block_rotate rows=16384 n=4096 b=32", "block rotation b=32")):
        x = find(prefix)
        if x and x["x_floor"]:
            verdicts.append(f"{label} at {x['x_floor']:.2f}x the bandwidth floor (target <= 2): "
                            + ("met" if x["x_floor"] <= 2 else "MISSED"))
    header = "| op | shape | ours ms | baseline ms | speed-up | floor ms | ours/floor | max err/tol | baseline |"
    lines = [header, "|" + "---|" * 9]
    for x in rows:
        lines.append(f"| {x['op']} | {x['shape']} | {fmt(x['ours_ms'])} | {fmt(x['baseline_ms'])} | "
                     f"{fmt(x['speedup'], '{:.2f}')} | {fmt(x['floor_ms'])} | {fmt(x['x_floor'], '{:.2f}')} | "
                     f"{fmt(x['max_err_over_tol'], '{:.3f}')} | {x['baseline']} |")
    hdr = check.get("header", {})
    text = "\n".join([f"# GPU check: {hdr.get('device', '?')}", "",
                      f"correctness failures: {check.get('failures')}", ""] + lines + [""] + verdicts) + "\n"
    zc = load(args.zero_copy) if args.zero_copy else None
    hf = load(args.hf) if args.hf else None
    text += extra_sections(zc, hf)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump({"header": hdr, "failures": check.get("failures"), "rows": rows, "verdicts": verdicts,
                   "zero_copy": zc, "hf_goldens": hf}, f, indent=1)
    if args.zero_copy or args.hf:
        write_results(args, hdr, zc, text)
    return 0


def extra_sections(zc, hf):
    """Markdown for the zero-copy checks, their timings and the HF golden checks."""
    out = []
    if zc is not None:
        recs = zc.get("records", [])
        checks = [r for r in recs if r.get("group") != "timing"]
        failed = [r for r in checks if not r.get("pass")]
        out += ["", "## Zero-copy contract (ctypes on torch CUDA tensors, torch's current stream)", ""]
        if zc.get("skipped"):
            out.append(f"not run: {zc['skipped']}")
        out.append(f"{len(checks)} checks, {len(failed)} failed "
                   f"(torch {zc.get('torch', '?')}, CUDA {zc.get('torch_cuda', '?')}, {zc.get('device', '?')})")
        out += ["", "| group | op | case | result | detail |", "|---|---|---|---|---|"]
        for r in checks:
            out.append(f"| {r['group']} | {r['op']} | {r['shape']} | {'ok' if r['pass'] else 'FAIL'} | "
                       f"{r.get('detail', '').replace('|', '/')} |")
        timings = [r for r in recs if r.get("group") == "timing"]
        if timings:
            out += ["", "| op | shape | ours ms | torch ms | torch / ours | torch call |", "|---|---|---:|---:|---:|---|"]
            for r in timings:
                out.append(f"| {r['op']} | {r['shape']} | {fmt(r.get('ours_ms'))} | {fmt(r.get('torch_ms'))} | "
                           f"{fmt(r.get('speedup'), '{:.2f}')} | {r.get('baseline', '')} |")
    if hf is not None:
        out += ["", "## Hugging Face transformers / peft goldens", ""]
        if hf.get("skipped"):
            out.append(f"not run: {hf['skipped']}")
        else:
            out.append(f"transformers {hf.get('transformers')}, peft {hf.get('peft')}, torch {hf.get('torch')}: "
                       f"{len(hf.get('records', []))} checks, {hf.get('failures')} failed")
            out += ["", "| check | result | numbers |", "|---|---|---|"]
            for r in hf.get("records", []):
                nums = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                                 for k, v in r.items() if k not in ("check", "pass"))
                out.append(f"| {r['check']} | {'ok' if r['pass'] else 'FAIL'} | {nums} |")
    return "\n".join(out) + ("\n" if out else "")


def write_results(args, hdr, zc, text):
    """results/gpu-check-<date>.md (+ .json): what benchmarks/results/ receives."""
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    device = hdr.get("device") or (zc or {}).get("device") or "unknown device"
    d = os.path.join(args.out, "results")
    os.makedirs(d, exist_ok=True)
    smi = ""
    smi_log = os.path.join(args.out, "nvidia-smi.log")
    if os.path.isfile(smi_log):
        with open(smi_log) as f:
            smi = f.read().strip()
    head = [f"# GPU check on {device}, {date}", "", f"Command: `{args.command}` (one call; phases and limits in "
            "benchmarks/gpu/README.md).", "", "nvidia-smi:", "```", smi or "(not recorded)", "```",
            f"CUDA runtime in the check binary: {hdr.get('cuda_runtime', '?')}, driver: {hdr.get('cuda_driver', '?')}; "
            f"library {hdr.get('library', '?')}; seed {hdr.get('seed', '?')}.", "",
            "Ratios are against the baseline measured in the same run on the same device.", ""]
    with open(os.path.join(d, f"gpu-check-{date}.md"), "w") as f:
        f.write("\n".join(head) + text.split("\n", 1)[1])
    with open(os.path.join(d, f"gpu-check-{date}.json"), "w") as f:
        json.dump({"date": date, "device": device, "command": args.command}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
