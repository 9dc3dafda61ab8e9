#!/usr/bin/env python3
"""The zero-copy contract of PEFT-Arena's C ABI, checked from Python through ctypes.

With PyTorch and a CUDA device (the GPU check): every device-pointer entry point (pa_cuda_*) runs
on torch CUDA tensors, addressed by data_ptr() (views with storage offsets and padded row
strides), on torch's current stream; results land in torch-allocated tensors in place and are
compared with torch ops in float64; the padding around every output must stay untouched; stream
ordering is checked on a non-default stream whose input is written late; bad device arguments
(null, misaligned, host memory, another device) must get their status and message; and the entry
points are timed with CUDA events against the torch calls users would make, on the shapes of the
CPU benchmarks.

Without torch or a device (--cpu, any machine with numpy): the same ctypes bindings and the same
reference formulas run against the CPU entry points on numpy arrays, and the device-pointer entry
points must refuse host memory (no device here: PA_ERR_UNAVAILABLE). This keeps the script itself
tested where no GPU is.

Writes one JSON file (--out) with every check and timing; exit 1 when a check failed, 0 otherwise
(also when torch or a device is missing: the file says why).
"""
import argparse
import ctypes
import datetime
import json
import math
import os
import statistics
import sys

OK, ERR_NULL, ERR_SIZE, ERR_NONFINITE, ERR_NOCONVERGE, ERR_CUDA, ERR_UNAVAILABLE, ERR_ALLOC, ERR_DEVICE = range(9)
POISON = -7.25

P, I64, I32, F32 = ctypes.c_void_p, ctypes.c_int64, ctypes.c_int32, ctypes.c_float
SIGNATURES = {
    "pa_last_error": ([], ctypes.c_char_p),
    "pa_version": ([], ctypes.c_char_p),
    "pa_cuda_compiled": ([], ctypes.c_int),
    "pa_cuda_device_count": ([ctypes.POINTER(I32)], ctypes.c_int),
    "pa_cayley_f32": ([P, I64, I32, I32, F32, P], ctypes.c_int),
    "pa_block_rotate_f32": ([P, I64, I64, I64, P, I32, I32, P, I64], ctypes.c_int),
    "pa_svd_batched_f32": ([P, I64, I32, I32, P, P, P], ctypes.c_int),
    "pa_procrustes_batched_f32": ([P, P, I64, I64, I32, P, P], ctypes.c_int),
    "pa_block_cross_f32": ([P, I64, I64, I64, P, I64, I32, P], ctypes.c_int),
    "pa_cayley_vjp_f32": ([P, P, P, I64, I32, I32, P], ctypes.c_int),
    "pa_cuda_cayley_f32": ([P, I64, I32, I32, F32, P, P], ctypes.c_int),
    "pa_cuda_block_rotate_f32": ([P, I64, I64, I64, P, I32, I32, P, I64, P], ctypes.c_int),
    "pa_cuda_svd_batched_f32": ([P, I64, I32, I32, P, P, P, P], ctypes.c_int),
    "pa_cuda_procrustes_batched_f32": ([P, P, I64, I64, I32, P, P, P], ctypes.c_int),
    "pa_cuda_block_cross_f32": ([P, I64, I64, I64, P, I64, I32, P, P], ctypes.c_int),
    "pa_cuda_cayley_vjp_f32": ([P, P, P, I64, I32, I32, P, P], ctypes.c_int),
}


def load_library(path):
    lib = ctypes.CDLL(path)
    for name, (args, res) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = res
    return lib


def find_library(root, given):
    for cand in [given, os.environ.get("PEFTARENA_NATIVE_LIB"),
                 os.path.join(root, "build", "gpu-check", "libpeftarena_native.so")]:
        if cand and os.path.isfile(cand):
            return cand
    return None


# ---------------------------------------------------------------- array backends
class NumpyBackend:
    """Host arrays; 'ours' are the CPU entry points (no stream)."""
    name = "cpu"

    def __init__(self, np):
        self.np = np
        self.xp = np

    def rand(self, rng, shape, sigma=1.0):
        return (rng.standard_normal(shape) * sigma).astype(self.np.float32)

    def full(self, shape, value):
        return self.np.full(shape, value, dtype=self.np.float32)

    def ptr(self, a):
        return a.ctypes.data if a is not None else None

    def f64(self, a):
        return a.astype(self.np.float64)

    def eye(self, n):
        return self.np.eye(n)

    def host(self, a):
        return self.np.asarray(a, dtype=self.np.float64)

    def sync(self):
        pass


class TorchBackend:
    """torch CUDA tensors; 'ours' are the device-pointer entry points on torch's current stream."""
    name = "cuda"

    def __init__(self, torch):
        self.torch = torch
        self.xp = torch
        self.dev = torch.device("cuda", torch.cuda.current_device())

    def rand(self, rng, shape, sigma=1.0):
        import numpy as np
        return self.torch.from_numpy((rng.standard_normal(shape) * sigma).astype(np.float32)).to(self.dev)

    def full(self, shape, value):
        return self.torch.full(shape, value, dtype=self.torch.float32, device=self.dev)

    def ptr(self, a):
        return a.data_ptr() if a is not None else None

    def f64(self, a):
        return a.double()

    def eye(self, n):
        return self.torch.eye(n, dtype=self.torch.float64, device=self.dev)

    def host(self, a):
        return a.detach().double().cpu().numpy()

    def sync(self):
        self.torch.cuda.synchronize()


# ---------------------------------------------------------------- references (numpy or torch, float64)
def skew_from_packed(be, q, b):
    import numpy as np
    iu = np.triu_indices(b, 1)
    batch = q.shape[0]
    flat = iu[0] * b + iu[1]
    m = be.xp.zeros((batch, b * b), dtype=be.xp.float64) if be.name == "cpu" else \
        be.torch.zeros((batch, b * b), dtype=be.torch.float64, device=be.dev)
    idx = flat if be.name == "cpu" else be.torch.as_tensor(flat, device=be.dev)
    m[:, idx] = be.f64(q)
    m = m.reshape(batch, b, b)
    return m - m.swapaxes(-1, -2)


def cayley_ref(be, q, b, terms, scale):
    Q = skew_from_packed(be, q, b) * scale
    eye = be.eye(b)
    if terms == 0:  # exact: (I - Q)(I + Q)^-1 = (I + Q)^-1 (I - Q)
        return be.xp.linalg.solve(eye + Q, eye - Q)
    R = eye + 0 * Q
    if terms >= 2:
        R = R + 2 * Q
    if terms >= 3:
        power = Q @ Q
        R = R + 2 * power
        for _ in range(3, terms - 1):
            power = power @ Q
            R = R + 2 * power
        last = Q
        for _ in range(max(3, terms - 1) - 1):
            last = last @ Q
        R = R + last
    return R


def rotate_ref(be, x, r, b, transpose):
    rows, n = x.shape
    xb = be.f64(x).reshape(rows, n // b, b)
    rb = be.f64(r)
    if transpose:
        rb = rb.swapaxes(-1, -2)
    return be.xp.einsum("rjk,jkc->rjc", xb, rb).reshape(rows, n)


def cross_ref(be, x, g, b):
    """out[j] = X_j^T G_j in float64: [n/b, b, b]."""
    rows, n = x.shape
    xb = be.f64(x).reshape(rows, n // b, b)
    gb = be.f64(g).reshape(rows, n // b, b)
    return be.xp.einsum("rjk,rjc->jkc", xb, gb)


def neumann_coefficients(terms):
    """c_0..c_d of HF PEFT's series, term by term as cayley_ref adds them."""
    c = [1.0] + ([2.0] if terms >= 2 else [])
    if terms >= 3:
        c += [2.0] + [2.0] * max(0, terms - 4)
        last = max(3, terms - 1)
        c += [0.0] * (last + 1 - len(c))
        c[last] += 1.0
    return c


def vjp_closed_form(be, q, g, b, terms):
    """dL/dq of L = <G, cayley(q)> by the chain rule written out (float64): D = dL/dQ, then
    dq(i, j) = D[i, j] - D[j, i] over the strict upper triangle. Exact: D = -1/2 A G A with
    A = (R + I)^T; Neumann: D = sum_i c_i sum_{j<i} (Q^T)^j G (Q^T)^(i-1-j)."""
    import numpy as np
    batch = q.shape[0]
    G = be.f64(g).reshape(batch, b, b)
    eye = be.eye(b)
    if terms == 0:
        A = (cayley_ref(be, q, b, 0, 1.0) + eye).swapaxes(-1, -2)
        D = -0.5 * (A @ G @ A)
    else:
        c = neumann_coefficients(terms)
        P = skew_from_packed(be, q, b).swapaxes(-1, -2)
        pw = [eye + 0 * P]
        for _ in range(1, len(c) - 1):
            pw.append(pw[-1] @ P)
        D = 0 * G
        for i in range(1, len(c)):
            for j in range(i):
                D = D + c[i] * (pw[j] @ G @ pw[i - 1 - j])
    iu = np.triu_indices(b, 1)
    if be.name == "cuda":
        iu = tuple(be.torch.as_tensor(t, device=be.dev) for t in iu)
    return D[:, iu[0], iu[1]] - D[:, iu[1], iu[0]]


def vjp_autograd(be, q, g, b, terms):
    """dL/dq of L = <G, cayley(q)> by torch autograd through the torch Cayley above (float64)."""
    torch = be.torch
    q64 = q.detach().double().requires_grad_(True)
    R = cayley_ref(be, q64, b, terms, 1.0)
    (grad,) = torch.autograd.grad((R * be.f64(g).reshape(R.shape)).sum(), q64, allow_unused=True)
    return torch.zeros_like(q64) if grad is None else grad


def close(got, ref, atol, rtol):
    import numpy as np
    g = np.asarray(got, dtype=np.float64)
    r = np.asarray(ref, dtype=np.float64)
    if g.shape != r.shape:
        return False, float("inf"), f"shape {g.shape} != {r.shape}"
    if not np.all(np.isfinite(g)):
        return False, float("nan"), "non-finite output"
    err = np.abs(g - r)
    ratio = float(np.max(err / (atol + rtol * np.abs(r)))) if err.size else 0.0
    return ratio <= 1.0, float(err.max()) if err.size else 0.0, f"max|err| {float(err.max()) if err.size else 0:.3g}"


# ---------------------------------------------------------------- the checks
class Checker:
    def __init__(self, lib, be, rng, device_entry):
        self.lib, self.be, self.rng = lib, be, rng
        self.device_entry = device_entry  # True: pa_cuda_* with a stream; False: CPU entry points
        self.records = []

    def record(self, group, op, shape, ok, detail, **extra):
        rec = {"group": group, "op": op, "shape": shape, "pass": bool(ok), "detail": detail}
        rec.update(extra)
        self.records.append(rec)
        print(f"[{'ok' if ok else 'FAIL'}] {group} {op} {shape}: {detail}")

    def err(self):
        return (self.lib.pa_last_error() or b"").decode("utf-8", "replace")

    def stream(self):
        return self.be.torch.cuda.current_stream().cuda_stream if self.device_entry else None

    # the four entry points, on arrays of the backend
    def cayley(self, q, batch, b, terms, scale, r):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_cayley_f32(p(q), batch, b, terms, scale, p(r), self.stream())
        return self.lib.pa_cayley_f32(p(q), batch, b, terms, scale, p(r))

    def rotate(self, x, rows, n, xs, r, b, t, y, ys):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_block_rotate_f32(p(x), rows, n, xs, p(r), b, t, p(y), ys, self.stream())
        return self.lib.pa_block_rotate_f32(p(x), rows, n, xs, p(r), b, t, p(y), ys)

    def svd(self, a, batch, m, n, s, u, vt):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_svd_batched_f32(p(a), batch, m, n, p(s), p(u), p(vt), self.stream())
        return self.lib.pa_svd_batched_f32(p(a), batch, m, n, p(s), p(u), p(vt))

    def procrustes(self, x1, x0, batch, rows, d, rot, res):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_procrustes_batched_f32(p(x1), p(x0), batch, rows, d, p(rot), p(res), self.stream())
        return self.lib.pa_procrustes_batched_f32(p(x1), p(x0), batch, rows, d, p(rot), p(res))

    def cross(self, x, rows, n, xs, g, gs, b, out):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_block_cross_f32(p(x), rows, n, xs, p(g), gs, b, p(out), self.stream())
        return self.lib.pa_block_cross_f32(p(x), rows, n, xs, p(g), gs, b, p(out))

    def cayley_vjp(self, q, r, g, batch, b, terms, dq):
        p = self.be.ptr
        if self.device_entry:
            return self.lib.pa_cuda_cayley_vjp_f32(p(q), p(r), p(g), batch, b, terms, p(dq), self.stream())
        return self.lib.pa_cayley_vjp_f32(p(q), p(r), p(g), batch, b, terms, p(dq))

    def slot(self, n, offset=3, guard=5):
        """A view of n floats at an element offset inside a poisoned buffer (the zero-copy target)."""
        buf = self.be.full((offset + n + guard,), POISON)
        return buf, buf[offset:offset + n]

    def guards_intact(self, buf, offset, n):
        import numpy as np
        h = self.be.host(buf)
        return bool(np.all(h[:offset] == POISON) and np.all(h[offset + n:] == POISON))

    def run_correctness(self):
        be = self.be
        for b, terms, scale in ((8, 5, 1.0), (8, 0, 0.5), (32, 5, 1.0), (32, 0, 1.0), (64, 8, 0.75), (128, 0, 1.0)):
            batch = 7
            q = be.rand(self.rng, (batch, b * (b - 1) // 2), 0.3 / math.sqrt(b))
            qbuf, qv = self.slot(q.numel() if be.name == "cuda" else q.size, offset=1)
            qv[:] = q.reshape(-1)
            rbuf, rv = self.slot(batch * b * b, offset=5)
            ptr_before = be.ptr(rv)
            st = self.cayley(qv, batch, b, terms, scale, rv)
            be.sync()
            ref = be.host(cayley_ref(be, q, b, terms, scale))
            ok, err, det = close(be.host(rv).reshape(batch, b, b), ref, 2e-5 * b, 1e-4)
            intact = self.guards_intact(rbuf, 5, batch * b * b) and be.ptr(rv) == ptr_before
            self.record("zero_copy", "cayley_exact" if terms == 0 else f"cayley_neumann{terms}",
                        f"batch={batch} b={b} scale={scale}", st == OK and ok and intact,
                        f"status {st} {self.err() if st else ''}; {det}; guards {'intact' if intact else 'OVERWRITTEN'}",
                        max_abs=err)
        for b, t in ((4, 0), (32, 1), (64, 0)):
            rows, n = 37, 2 * b
            xs, ys = n + 5, n + 3
            x2 = be.rand(self.rng, (rows, xs + 2))
            x = x2[:, 2:2 + n]  # a view: offset 2, row stride xs + 2
            r = be.rand(self.rng, (n // b, b, b), 1.0 / math.sqrt(b))
            y2 = be.full((rows, ys + 1), POISON)
            y = y2[:, 1:1 + n]
            xstride = (x.stride(0) if be.name == "cuda" else x.strides[0] // 4)
            ystride = (y.stride(0) if be.name == "cuda" else y.strides[0] // 4)
            st = self.rotate(x, rows, n, xstride, r, b, t, y, ystride)
            be.sync()
            ok, err, det = close(be.host(y), be.host(rotate_ref(be, x, r, b, t)), 1e-5 * b, 1e-4)
            import numpy as np
            yh = be.host(y2)
            intact = bool(np.all(yh[:, 0] == POISON) and np.all(yh[:, 1 + n:] == POISON))
            self.record("zero_copy", "block_rotate_t" if t else "block_rotate",
                        f"rows={rows} n={n} b={b} view strides {xstride},{ystride}", st == OK and ok and intact,
                        f"status {st} {self.err() if st else ''}; {det}; padding {'intact' if intact else 'OVERWRITTEN'}",
                        max_abs=err)
        for b, rows, nb in ((1, 37, 5), (4, 300, 3), (32, 513, 2), (33, 100, 2), (128, 70, 1)):
            n = nb * b
            xs, gs = n + 7, n + 4
            x2 = be.rand(self.rng, (rows, xs))
            x = x2[:, 2:2 + n]  # views: offsets 2 and 1, row strides xs and gs
            g2 = be.rand(self.rng, (rows, gs))
            g = g2[:, 1:1 + n]
            count = nb * b * b
            obuf, ov = self.slot(count, offset=5)
            st = self.cross(x, rows, n, xs, g, gs, b, ov)
            be.sync()
            ok, err, det = close(be.host(ov).reshape(nb, b, b), be.host(cross_ref(be, x, g, b)),
                                 2e-6 * (rows + 16), 1e-5)
            intact = self.guards_intact(obuf, 5, count)
            self.record("zero_copy", "block_cross", f"rows={rows} n={n} b={b} view strides {xs},{gs}",
                        st == OK and ok and intact,
                        f"status {st} {self.err() if st else ''}; {det}; guards {'intact' if intact else 'OVERWRITTEN'}",
                        max_abs=err)
        for b, terms in ((8, 5), (8, 0), (32, 5), (32, 0), (64, 8), (128, 0), (128, 5)):
            batch, np_ = 5, b * (b - 1) // 2
            q = be.rand(self.rng, (batch, np_), 0.3 / math.sqrt(b))
            g = be.rand(self.rng, (batch, b * b))
            qbuf, qv = self.slot(batch * np_, offset=1)
            qv[:] = q.reshape(-1)
            gbuf, gv = self.slot(batch * b * b, offset=3)
            gv[:] = g.reshape(-1)
            rv = None
            if terms == 0:  # the forward's output, as float32
                rbuf, rv = self.slot(batch * b * b, offset=2)
                rv[:] = (cayley_ref(be, q, b, 0, 1.0).reshape(-1).float() if be.name == "cuda"
                         else cayley_ref(be, q, b, 0, 1.0).reshape(-1).astype("float32"))
            dbuf, dv = self.slot(batch * np_, offset=5)
            st = self.cayley_vjp(qv, rv, gv, batch, b, terms, dv)
            be.sync()
            if be.name == "cuda":
                ref, how = vjp_autograd(be, q, g, b, terms), "torch autograd"
            else:
                ref, how = vjp_closed_form(be, q, g, b, terms), "closed form"
            ok, err, det = close(be.host(dv).reshape(batch, np_), be.host(ref), 2e-5 * b, 1e-4)
            intact = self.guards_intact(dbuf, 5, batch * np_)
            self.record("zero_copy", "cayley_vjp_exact" if terms == 0 else f"cayley_vjp_neumann{terms}",
                        f"batch={batch} b={b}", st == OK and ok and intact,
                        f"status {st} {self.err() if st else ''}; vs {how}: {det}; "
                        f"guards {'intact' if intact else 'OVERWRITTEN'}", max_abs=err)
        for m, n in ((5, 3), (32, 32), (40, 24), (128, 128)):
            batch, k = 3, min(m, n)
            a = be.rand(self.rng, (batch, m, n))
            s, u, vt = be.full((batch, k), POISON), be.full((batch, m, k), POISON), be.full((batch, k, n), POISON)
            st = self.svd(a, batch, m, n, s, u, vt)
            be.sync()
            import numpy as np
            ah = be.host(a)
            sref = np.linalg.svd(ah, compute_uv=False)
            ok1, err1, det1 = close(be.host(s), sref, 5e-6 * max(m, n) * float(sref.max()), 0)
            rec = np.einsum("bik,bk,bkj->bij", be.host(u), be.host(s), be.host(vt))
            rel = float(np.linalg.norm(rec - ah) / np.linalg.norm(ah))
            ok2 = rel <= 2e-6 * max(m, n)
            self.record("zero_copy", "svd", f"batch={batch} {m}x{n}", st == OK and ok1 and ok2,
                        f"status {st} {self.err() if st else ''}; svals {det1}; reconstruction {rel:.2g}", max_abs=err1)
        for rows, d in ((50, 4), (300, 32), (200, 100)):
            batch = 3
            import numpy as np
            x1h = self.rng.standard_normal((batch, rows, d))
            qr = np.linalg.qr(self.rng.standard_normal((batch, d, d)))[0]
            x0h = x1h @ qr + 0.01 * self.rng.standard_normal((batch, rows, d))
            x1 = self._from_np(x1h)
            x0 = self._from_np(x0h)
            rot, res = be.full((batch, d, d), POISON), be.full((batch,), POISON)
            st = self.procrustes(x1, x0, batch, rows, d, rot, res)
            be.sync()
            mref = be.f64(x1).swapaxes(-1, -2) @ be.f64(x0)
            uu, _, vv = be.xp.linalg.svd(mref, full_matrices=False)
            rref = uu @ vv
            resref = be.xp.linalg.norm((be.f64(x1) @ rref - be.f64(x0)).reshape(batch, -1), axis=-1) \
                if be.name == "cpu" else be.torch.linalg.norm((be.f64(x1) @ rref - be.f64(x0)).reshape(batch, -1), dim=-1)
            ok1, err1, det1 = close(be.host(rot), be.host(rref), 1e-4, 1e-4)
            ok2, err2, det2 = close(be.host(res), be.host(resref), 1e-3, 1e-3)
            self.record("zero_copy", "procrustes", f"batch={batch} rows={rows} d={d}", st == OK and ok1 and ok2,
                        f"status {st} {self.err() if st else ''}; rot {det1}; residual {det2}", max_abs=max(err1, err2))

    def _from_np(self, a):
        import numpy as np
        a = np.ascontiguousarray(a, dtype=np.float32)
        return a if self.be.name == "cpu" else self.be.torch.from_numpy(a).to(self.be.dev)

    def run_reference_check(self):
        """The closed-form VJP (--cpu's reference) against central differences of <G, cayley(q)> in float64."""
        import numpy as np
        nb = NumpyBackend(np)
        b, h = 4, 1e-6
        q = self.rng.standard_normal((1, b * (b - 1) // 2)) * 0.3
        g = self.rng.standard_normal((1, b * b))
        for terms in (0, 2, 5):
            dq = vjp_closed_form(nb, q, g, b, terms)
            fd = np.zeros_like(q)
            for k in range(q.shape[1]):
                qp, qm = q.copy(), q.copy()
                qp[0, k] += h
                qm[0, k] -= h
                diff = cayley_ref(nb, qp, b, terms, 1.0) - cayley_ref(nb, qm, b, terms, 1.0)
                fd[0, k] = float(np.sum(g.reshape(1, b, b) * diff)) / (2 * h)
            worst = float(np.max(np.abs(fd - dq)))
            self.record("reference", "cayley_vjp closed form", f"b={b} terms={terms} vs finite differences",
                        worst < 1e-7, f"max|err| {worst:.3g}")

    def run_stream_ordering(self):
        """Input written late on a non-default stream; our call queued on that stream must see it."""
        torch = self.be.torch
        b, batch = 32, 4096
        q_src = self.be.rand(self.rng, (batch, b * (b - 1) // 2), 0.05)
        ref = self.be.host(cayley_ref(self.be, q_src, b, 5, 1.0))
        s = torch.cuda.Stream()
        results = {}
        for mode in ("current", "default_control"):
            q = torch.zeros_like(q_src)
            r = torch.full((batch, b, b), POISON, device=self.be.dev)
            torch.cuda.synchronize()
            with torch.cuda.stream(s):
                assert torch.cuda.current_stream().cuda_stream == s.cuda_stream
                if hasattr(torch.cuda, "_sleep"):
                    torch.cuda._sleep(200_000_000)  # ~0.1 s of spinning before q is written
                else:
                    big = torch.randn(4096, 4096, device=self.be.dev)
                    for _ in range(20):
                        big = big @ big / 64
                q.copy_(q_src)
                stream = torch.cuda.current_stream().cuda_stream if mode == "current" else None
                st = self.lib.pa_cuda_cayley_f32(q.data_ptr(), batch, b, 5, 1.0, r.data_ptr(), stream)
                r_copy = r.clone()  # consumed on the same stream
            torch.cuda.synchronize()
            ok, err, det = close(self.be.host(r_copy), ref, 2e-5 * b, 1e-4)
            results[mode] = (st, ok, det)
        st, ok, det = results["current"]
        self.record("stream", "cayley on torch.cuda.Stream()", f"batch={batch} b={b}", st == OK and ok,
                    f"status {st}; result {det} (input written after a 0.1 s wait on the same stream)")
        st, ok, det = results["default_control"]
        # Control: queued on the legacy default stream instead, which does not wait for a
        # non-blocking stream; a stale (zero) input shows the check above can fail.
        self.record("stream", "control: same call on the default stream", f"batch={batch} b={b}", True,
                    f"informational: status {st}, result {'matches' if ok else 'differs (raced, as expected)'}",
                    control=True, raced=not ok)

    def run_bad_arguments(self, have_device, compiled=True):
        be = self.be
        import numpy as np
        host = np.full(4096, 0.1, dtype=np.float32)
        hp = host.ctypes.data
        if be.name == "cuda":
            dev = be.full((4096,), 0.1)
            out = be.full((4096,), POISON)
            dp, op = dev.data_ptr(), out.data_ptr()
            stream = be.torch.cuda.current_stream().cuda_stream
        else:
            dev, out = host, np.full(4096, POISON, dtype=np.float32)
            dp, op = hp, out.ctypes.data
            stream = None
        lib = self.lib
        bad = ERR_DEVICE if have_device else ERR_UNAVAILABLE
        # a library built without CUDA answers every device call with PA_ERR_UNAVAILABLE
        null, size = (ERR_NULL, ERR_SIZE) if compiled else (ERR_UNAVAILABLE, ERR_UNAVAILABLE)
        cases = [
            ("cayley", "null q", null, lambda: lib.pa_cuda_cayley_f32(None, 2, 4, 5, 1.0, op, stream)),
            ("cayley", "misaligned q", bad, lambda: lib.pa_cuda_cayley_f32(dp + 2, 2, 4, 5, 1.0, op, stream)),
            ("cayley", "host q", bad, lambda: lib.pa_cuda_cayley_f32(hp, 2, 4, 5, 1.0, op, stream)),
            ("block_rotate", "host r", bad, lambda: lib.pa_cuda_block_rotate_f32(dp, 2, 8, 8, hp, 4, 0, op, 8, stream)),
            ("block_rotate", "misaligned y", bad,
             lambda: lib.pa_cuda_block_rotate_f32(dp, 2, 8, 8, dp + 64, 4, 0, op + 1, 8, stream)),
            ("svd", "host u", bad, lambda: lib.pa_cuda_svd_batched_f32(dp, 1, 4, 4, op, hp, None, stream)),
            ("svd", "n = 129", size, lambda: lib.pa_cuda_svd_batched_f32(dp, 1, 4, 129, op, None, None, stream)),
            ("procrustes", "host residual", bad,
             lambda: lib.pa_cuda_procrustes_batched_f32(dp, dp, 1, 8, 4, None, hp, stream)),
            ("block_cross", "null out", null, lambda: lib.pa_cuda_block_cross_f32(dp, 2, 8, 8, dp + 64, 8, 4, None, stream)),
            ("block_cross", "host x", bad, lambda: lib.pa_cuda_block_cross_f32(hp, 2, 8, 8, dp + 64, 8, 4, op, stream)),
            ("block_cross", "misaligned out", bad,
             lambda: lib.pa_cuda_block_cross_f32(dp, 2, 8, 8, dp + 64, 8, 4, op + 2, stream)),
            ("block_cross", "b = 129", size, lambda: lib.pa_cuda_block_cross_f32(dp, 1, 129, 129, dp, 129, 129, op, stream)),
            ("cayley_vjp", "null q", null, lambda: lib.pa_cuda_cayley_vjp_f32(None, None, dp, 2, 4, 5, op, stream)),
            ("cayley_vjp", "host g", bad, lambda: lib.pa_cuda_cayley_vjp_f32(dp, None, hp, 2, 4, 5, op, stream)),
            ("cayley_vjp", "misaligned dq", bad,
             lambda: lib.pa_cuda_cayley_vjp_f32(dp, dp + 64, dp + 128, 2, 4, 0, op + 2, stream)),
            ("cayley_vjp", "exact with null r", null,
             lambda: lib.pa_cuda_cayley_vjp_f32(dp, None, dp + 128, 2, 4, 0, op, stream)),
        ]
        if be.name == "cuda" and be.torch.cuda.device_count() >= 2:
            other = be.torch.full((4096,), 0.1, device="cuda:1")
            cases.append(("cayley", "q on another device", ERR_DEVICE,
                          lambda: lib.pa_cuda_cayley_f32(other.data_ptr(), 2, 4, 5, 1.0, op, stream)))
        for op_name, what, expected, call in cases:
            st = call()
            msg = self.err()
            be.sync()
            untouched = bool(np.all(be.host(out) == POISON))
            self.record("bad_arguments", op_name, what, st == expected and untouched and msg != "",
                        f"returned {st} (expected {expected}): {msg}" + ("" if untouched else "; OUTPUT WRITTEN"))

    def run_timings(self, repeats):
        """CUDA-event medians, ours (on torch tensors, current stream) vs the torch calls users would make."""
        torch = self.be.torch

        def med(fn):
            first = fn()
            if isinstance(first, int) and first != OK:  # one of ours refused: no timing for it
                raise RuntimeError(f"status {first}: {self.err()}")
            for _ in range(2):
                fn()
            torch.cuda.synchronize()
            times = []
            for _ in range(repeats):
                a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                a.record()
                fn()
                b.record()
                b.synchronize()
                times.append(a.elapsed_time(b))
            return statistics.median(times)

        def rec(op, shape, ours_fn, base_fn, baseline):
            try:
                ours, base = med(ours_fn), med(base_fn)
            except Exception as e:  # noqa: BLE001 - recorded as a failed timing, the rest still run
                self.record("timing", op, shape, False, f"could not time: {e}")
                return
            self.records.append({"group": "timing", "op": op, "shape": shape, "pass": True, "ours_ms": ours,
                                 "torch_ms": base, "baseline": baseline,
                                 "speedup": (base / ours) if ours and base else None})
            print(f"[time] {op} {shape}: ours {ours:.3f} ms, torch {base:.3f} ms ({baseline})")

        dev = self.be.dev
        stream = lambda: torch.cuda.current_stream().cuda_stream  # noqa: E731
        # batched SVD 4096 x 32x32 (the CPU benchmark shape), with and without U, V
        a = torch.randn(4096, 32, 32, device=dev)
        s, u, vt = torch.empty(4096, 32, device=dev), torch.empty(4096, 32, 32, device=dev), torch.empty(4096, 32, 32, device=dev)
        rec("svd_uv", "4096 x 32x32",
            lambda: self.lib.pa_cuda_svd_batched_f32(a.data_ptr(), 4096, 32, 32, s.data_ptr(), u.data_ptr(),
                                                     vt.data_ptr(), stream()),
            lambda: torch.linalg.svd(a, full_matrices=False), "torch.linalg.svd")
        rec("svd", "4096 x 32x32",
            lambda: self.lib.pa_cuda_svd_batched_f32(a.data_ptr(), 4096, 32, 32, s.data_ptr(), None, None, stream()),
            lambda: torch.linalg.svdvals(a), "torch.linalg.svdvals")
        # Cayley, 4096 blocks, b = 8, 32, 128: exact vs skew + linalg.solve, Neumann-5 vs HF PEFT's bmm chain
        for b in (8, 32, 128):
            q = torch.randn(4096, b * (b - 1) // 2, device=dev) * 0.02
            r = torch.empty(4096, b, b, device=dev)
            iu = torch.triu_indices(b, b, 1, device=dev)
            eye = torch.eye(b, device=dev)

            def skew():
                m = torch.zeros(4096, b, b, device=dev)
                m[:, iu[0], iu[1]] = q
                return m - m.transpose(-1, -2)

            def exact():
                Q = skew()
                return torch.linalg.solve(eye + Q, eye - Q)

            def neumann5():  # HF PEFT's _cayley_batch with 5 terms
                Q = skew()
                R = eye.repeat(4096, 1, 1) + 2 * Q
                Qp = Q
                Qp = torch.bmm(Qp, Q)
                R = R + 2 * Qp
                Qp = torch.bmm(Qp, Q)
                R = R + 2 * Qp
                Qp = torch.bmm(Qp, Q)
                return R + Qp

            rec("cayley_exact", f"4096 x b={b}",
                lambda: self.lib.pa_cuda_cayley_f32(q.data_ptr(), 4096, b, 0, 1.0, r.data_ptr(), stream()),
                exact, "skew + torch.linalg.solve")
            rec("cayley_neumann5", f"4096 x b={b}",
                lambda: self.lib.pa_cuda_cayley_f32(q.data_ptr(), 4096, b, 5, 1.0, r.data_ptr(), stream()),
                neumann5, "skew + torch.bmm chain")
        # block rotation 16384 x 4096, b = 32 vs the bmm over column blocks
        x = torch.randn(16384, 4096, device=dev)
        rb = torch.randn(128, 32, 32, device=dev)
        y = torch.empty_like(x)
        rec("block_rotate", "16384 x 4096 b=32",
            lambda: self.lib.pa_cuda_block_rotate_f32(x.data_ptr(), 16384, 4096, 4096, rb.data_ptr(), 32, 0,
                                                      y.data_ptr(), 4096, stream()),
            lambda: torch.bmm(x.view(16384, 128, 32).transpose(0, 1), rb).transpose(0, 1).reshape(16384, 4096),
            "torch.bmm over blocks")
        # the OFT training backward: block cross vs bmm of the permuted blocks, Cayley VJP vs autograd backward
        g = torch.randn(16384, 4096, device=dev)
        cross = torch.empty(128, 32, 32, device=dev)
        rec("block_cross", "16384 x 4096 b=32",
            lambda: self.lib.pa_cuda_block_cross_f32(x.data_ptr(), 16384, 4096, 4096, g.data_ptr(), 4096, 32,
                                                     cross.data_ptr(), stream()),
            lambda: torch.bmm(x.view(16384, 128, 32).permute(1, 2, 0), g.view(16384, 128, 32).transpose(0, 1)),
            "torch.bmm of the permuted blocks")
        del g
        for b in (8, 32, 128):
            q = torch.randn(4096, b * (b - 1) // 2, device=dev) * 0.02
            dq = torch.empty_like(q)
            iu = torch.triu_indices(b, b, 1, device=dev)
            eye = torch.eye(b, device=dev)
            qg = q.clone().requires_grad_(True)
            m = torch.zeros(4096, b, b, device=dev)
            m[:, iu[0], iu[1]] = qg  # recorded by autograd (m is no leaf once written)
            Q = m - m.transpose(-1, -2)
            r_exact = torch.linalg.solve(eye + Q, eye - Q)
            R = eye.repeat(4096, 1, 1) + 2 * Q
            Qp = torch.bmm(Q, Q)
            R = R + 2 * Qp
            Qp = torch.bmm(Qp, Q)
            R = R + 2 * Qp
            r_neumann = R + torch.bmm(Qp, Q)  # HF PEFT's 5-term chain
            gr = torch.randn(4096, b, b, device=dev)
            r_value = r_exact.detach().contiguous()
            rec("cayley_vjp_exact", f"4096 x b={b}",
                lambda: self.lib.pa_cuda_cayley_vjp_f32(q.data_ptr(), r_value.data_ptr(), gr.data_ptr(), 4096, b, 0,
                                                        dq.data_ptr(), stream()),
                lambda: torch.autograd.grad(r_exact, qg, gr, retain_graph=True), "autograd backward of skew + solve")
            rec("cayley_vjp_neumann5", f"4096 x b={b}",
                lambda: self.lib.pa_cuda_cayley_vjp_f32(q.data_ptr(), None, gr.data_ptr(), 4096, b, 5, dq.data_ptr(),
                                                        stream()),
                lambda: torch.autograd.grad(r_neumann, qg, gr, retain_graph=True), "autograd backward of the bmm chain")
        # Procrustes: batched small d on our kernel; d = 1024 (the CPU benchmark's 4096 x 1024) on torch only
        x1 = torch.randn(4096, 256, 32, device=dev)
        x0 = torch.randn(4096, 256, 32, device=dev)
        rot, res = torch.empty(4096, 32, 32, device=dev), torch.empty(4096, device=dev)

        def torch_procrustes():
            uu, _, vv = torch.linalg.svd(torch.bmm(x1.transpose(1, 2), x0))
            return uu @ vv

        rec("procrustes", "4096 x 256 x 32",
            lambda: self.lib.pa_cuda_procrustes_batched_f32(x1.data_ptr(), x0.data_ptr(), 4096, 256, 32, rot.data_ptr(),
                                                            res.data_ptr(), stream()),
            torch_procrustes, "torch.bmm + torch.linalg.svd")
        big1, big0 = torch.randn(4096, 1024, device=dev), torch.randn(4096, 1024, device=dev)

        def torch_residual():
            sv = torch.linalg.svdvals(big1.T @ big0)
            return big1.square().sum() + big0.square().sum() - 2 * sv.sum()

        t = med(torch_residual)
        self.records.append({"group": "timing", "op": "procrustes_residual", "shape": "4096 x 1024", "pass": True,
                             "ours_ms": None, "torch_ms": t, "baseline": "torch.mm + torch.linalg.svdvals",
                             "note": "no CUDA kernel of ours for d > 128 (the CPU path uses BLAS + our residual)"})
        print(f"[time] procrustes_residual 4096 x 1024: torch {t:.3f} ms (no CUDA kernel of ours for d > 128)")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lib", help="libpeftarena_native.so (default: $PEFTARENA_NATIVE_LIB, build/gpu-check/)")
    ap.add_argument("--out", default="zero_copy.json")
    ap.add_argument("--cpu", action="store_true", help="numpy + CPU entry points (no torch, no device needed)")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "mode": "cpu" if args.cpu else "cuda", "records": []}

    def finish(code, why=None):
        if why:
            result["skipped"] = why
            print(f"zero_copy: {why}")
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
        return code

    try:
        import numpy as np
    except ImportError:
        return finish(0, "numpy is not installed")
    path = find_library(root, args.lib)
    if path is None:
        return finish(1, "libpeftarena_native.so not found (build it with benchmarks/gpu/build_binary.sh)")
    try:
        lib = load_library(path)
    except OSError as e:
        return finish(1, f"cannot load {path}: {e}")
    count = I32(0)
    lib.pa_cuda_device_count(ctypes.byref(count))
    result.update(library=path, version=lib.pa_version().decode(), cuda_compiled=bool(lib.pa_cuda_compiled()),
                  devices_seen_by_library=count.value, device_note=lib.pa_last_error().decode())
    rng = np.random.default_rng(args.seed)
    if args.cpu:
        be = NumpyBackend(np)
        checker = Checker(lib, be, rng, device_entry=False)
        checker.run_reference_check()
        checker.run_correctness()
        checker.run_bad_arguments(have_device=count.value > 0, compiled=bool(lib.pa_cuda_compiled()))
    else:
        try:
            import torch
        except ImportError as e:
            return finish(0, f"torch not importable: {e}")
        if not torch.cuda.is_available():
            return finish(0, "torch sees no CUDA device")
        result.update(torch=torch.__version__, torch_cuda=torch.version.cuda, device=torch.cuda.get_device_name())
        be = TorchBackend(torch)
        checker = Checker(lib, be, rng, device_entry=True)
        checker.run_reference_check()
        checker.run_correctness()
        checker.run_stream_ordering()
        checker.run_bad_arguments(have_device=True)
        if not args.no_timing:
            checker.run_timings(args.repeats)
    result["records"] = checker.records
    failed = [r for r in checker.records if not r["pass"]]
    result["failures"] = len(failed)
    print(f"zero_copy: {len(checker.records)} records, {len(failed)} failed; {args.out}")
    return finish(1 if failed else 0)


if __name__ == "__main__":
    sys.exit(main())
