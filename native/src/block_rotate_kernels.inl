// Block-diagonal rotation y = x @ blockdiag(R_0, ..., R_{n/b-1}): a register-tiled micro-kernel
// (MR rows x NV vectors of output, rank-1 updates over k) for b a multiple of 8, scalar otherwise.

// y[0:MR, c0:c0+8NV] = x[0:MR, 0:b] @ R[0:b, c0:c0+8NV] for one block; x, y point at the block.
template <int NV, int MR>
static inline void rotate_tile(const float* x, int64_t xs, const float* R, int64_t b, int64_t c0,
                               float* y, int64_t ys) {
  vf32 acc[MR][NV] = {};
  for (int64_t k = 0; k < b; ++k) {
    vf32 rk[NV];
    for (int v = 0; v < NV; ++v) rk[v] = *reinterpret_cast<const vf32u*>(R + k * b + c0 + 8 * v);
    for (int r = 0; r < MR; ++r) {
      const vf32 xv = splat<vf32>(x[r * xs + k]);
      for (int v = 0; v < NV; ++v) acc[r][v] += xv * rk[v];
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) *reinterpret_cast<vf32u*>(y + r * ys + c0 + 8 * v) = acc[r][v];
}

template <int NV, int MR>
static void rotate_block_rows(const float* x, int64_t rows, int64_t xs, const float* R, int64_t b,
                              int64_t c0, float* y, int64_t ys) {
  int64_t r = 0;
  for (; r + MR <= rows; r += MR) rotate_tile<NV, MR>(x + r * xs, xs, R, b, c0, y + r * ys, ys);
  for (; r < rows; ++r) rotate_tile<NV, 1>(x + r * xs, xs, R, b, c0, y + r * ys, ys);
}

// Column chunk of 8*nv outputs; register tiles sized so accumulators stay in 16 ymm registers.
static void rotate_chunk(const float* x, int64_t rows, int64_t xs, const float* R, int64_t b,
                         int64_t c0, int nv, float* y, int64_t ys) {
  switch (nv) {
    case 1: rotate_block_rows<1, 8>(x, rows, xs, R, b, c0, y, ys); break;
    case 2: rotate_block_rows<2, 6>(x, rows, xs, R, b, c0, y, ys); break;
    case 3: rotate_block_rows<3, 4>(x, rows, xs, R, b, c0, y, ys); break;
    case 4: rotate_block_rows<4, 3>(x, rows, xs, R, b, c0, y, ys); break;
    case 5: rotate_block_rows<5, 2>(x, rows, xs, R, b, c0, y, ys); break;
    case 6: rotate_block_rows<6, 2>(x, rows, xs, R, b, c0, y, ys); break;
    case 7: rotate_block_rows<7, 2>(x, rows, xs, R, b, c0, y, ys); break;
    default: rotate_block_rows<8, 1>(x, rows, xs, R, b, c0, y, ys); break;
  }
}

// Any b: one output row at a time with a local accumulator the compiler vectorises over columns.
static void rotate_block_scalar(const float* x, int64_t rows, int64_t xs, const float* R, int64_t b,
                                float* y, int64_t ys) {
  float acc[PA_ROTATE_MAX_BLOCK];
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * xs;
    for (int64_t c = 0; c < b; ++c) acc[c] = 0.0f;
    for (int64_t k = 0; k < b; ++k) {
      const float xv = xr[k];
      const float* rk = R + k * b;
      for (int64_t c = 0; c < b; ++c) acc[c] += xv * rk[c];
    }
    float* yr = y + r * ys;
    for (int64_t c = 0; c < b; ++c) yr[c] = acc[c];
  }
}

// Row strip [r0, r1): blocks outer so R_j stays in L1 while the strip streams past it.
static void block_rotate_f32(const float* x, int64_t r0, int64_t r1, int64_t n, int64_t xs,
                             const float* rb, int b, float* y, int64_t ys) {
  const int64_t bb = static_cast<int64_t>(b) * b;
  const int64_t nblocks = n / b;
  constexpr int64_t kStrip = 256;
  for (int64_t s0 = r0; s0 < r1; s0 += kStrip) {
    const int64_t rows = (r1 - s0 < kStrip) ? (r1 - s0) : kStrip;
    for (int64_t j = 0; j < nblocks; ++j) {
      const float* xb = x + s0 * xs + j * b;
      float* yb = y + s0 * ys + j * b;
      const float* R = rb + j * bb;
      if (b % 8 != 0) {
        rotate_block_scalar(xb, rows, xs, R, b, yb, ys);
        continue;
      }
      for (int64_t c0 = 0; c0 < b; c0 += 64) {
        const int64_t width = (b - c0 < 64) ? (b - c0) : 64;
        rotate_chunk(xb, rows, xs, R, b, c0, static_cast<int>(width / 8), yb, ys);
      }
    }
  }
}

// ---- block cross products (gradient of the rotation w.r.t. its blocks) ----
// out_j = X_j^T G_j over all rows: out[j][k][c] = sum_r x[r, j*b + k] g[r, j*b + c].

// out[k0:k0+MR, c0:c0+8NV] of one block, one pass over the rows; x, g point at the block.
template <int NV, int MR>
static inline void cross_tile(const float* x, int64_t xs, const float* g, int64_t gs, int64_t rows,
                              int64_t k0, int64_t c0, float* out, int64_t b) {
  vf32 acc[MR][NV] = {};
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * xs + k0;
    const float* gr = g + r * gs + c0;
    vf32 gv[NV];
    for (int v = 0; v < NV; ++v) gv[v] = *reinterpret_cast<const vf32u*>(gr + 8 * v);
    for (int i = 0; i < MR; ++i) {
      const vf32 xv = splat<vf32>(xr[i]);
      for (int v = 0; v < NV; ++v) acc[i][v] += xv * gv[v];
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) *reinterpret_cast<vf32u*>(out + (k0 + i) * b + c0 + 8 * v) = acc[i][v];
}

// All k rows of one column chunk of 8*NV outputs; MR divides b (a multiple of 8).
template <int NV, int MR>
static void cross_chunk_rows(const float* x, int64_t xs, const float* g, int64_t gs, int64_t rows, int64_t c0,
                             float* out, int64_t b) {
  for (int64_t k0 = 0; k0 < b; k0 += MR) cross_tile<NV, MR>(x, xs, g, gs, rows, k0, c0, out, b);
}

static void cross_chunk(const float* x, int64_t xs, const float* g, int64_t gs, int64_t rows, int64_t c0, int nv,
                        float* out, int64_t b) {
  switch (nv) {
    case 1: cross_chunk_rows<1, 8>(x, xs, g, gs, rows, c0, out, b); break;
    case 2: cross_chunk_rows<2, 4>(x, xs, g, gs, rows, c0, out, b); break;
    case 3: cross_chunk_rows<3, 4>(x, xs, g, gs, rows, c0, out, b); break;
    case 4: cross_chunk_rows<4, 2>(x, xs, g, gs, rows, c0, out, b); break;
    case 5: cross_chunk_rows<5, 2>(x, xs, g, gs, rows, c0, out, b); break;
    case 6: cross_chunk_rows<6, 2>(x, xs, g, gs, rows, c0, out, b); break;
    case 7: cross_chunk_rows<7, 1>(x, xs, g, gs, rows, c0, out, b); break;
    default: cross_chunk_rows<8, 1>(x, xs, g, gs, rows, c0, out, b); break;
  }
}

// Any b: rank-1 updates row by row into the block's output (zeroed first).
static void cross_block_scalar(const float* x, int64_t xs, const float* g, int64_t gs, int64_t rows, float* out,
                               int64_t b) {
  for (int64_t i = 0; i < b * b; ++i) out[i] = 0.0f;
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * xs;
    const float* gr = g + r * gs;
    for (int64_t k = 0; k < b; ++k) {
      const float xv = xr[k];
      float* ok = out + k * b;
      for (int64_t c = 0; c < b; ++c) ok[c] += xv * gr[c];
    }
  }
}

// Blocks [j0, j1) of out = blockdiag(X_j^T G_j).
static void block_cross_f32(const float* x, int64_t xs, const float* g, int64_t gs, int64_t rows, int b, int64_t j0,
                            int64_t j1, float* out) {
  const int64_t bb = static_cast<int64_t>(b) * b;
  for (int64_t j = j0; j < j1; ++j) {
    const float* xb = x + j * b;
    const float* gb = g + j * b;
    float* ob = out + j * bb;
    if (b % 8 != 0) {
      cross_block_scalar(xb, xs, gb, gs, rows, ob, b);
      continue;
    }
    for (int64_t c0 = 0; c0 < b; c0 += 64) {
      const int64_t width = (b - c0 < 64) ? (b - c0) : 64;
      cross_chunk(xb, xs, gb, gs, rows, c0, static_cast<int>(width / 8), ob, b);
    }
  }
}
