// Double-precision kernels of the large Procrustes path: the Gram matrix G = M^T M and the fused
// row pass of the Householder tridiagonalisation of G.

// Rows [i0, i1) (multiples of 4) of the lower triangle of G = Mt Mt^T, where mt is M transposed
// and zero padded to [dp, rp] (dp, rp multiples of 4); 4 x 2 tiles of dot products over r.
static void gram_lower_f64(const double* mt, int64_t rp, int64_t dp, double* g, int64_t i0, int64_t i1) {
  constexpr int64_t kChunk = 512;  // r-chunk so the rows of a tile stay in L1
  for (int64_t i = i0; i < i1; i += 4)
    for (int64_t j = 0; j <= i + 3 && j < dp; ++j) g[i * dp + j] = 0.0, g[(i + 1) * dp + j] = 0.0,
                                                    g[(i + 2) * dp + j] = 0.0, g[(i + 3) * dp + j] = 0.0;
  for (int64_t r0 = 0; r0 < rp; r0 += kChunk) {
    const int64_t r1 = (rp - r0 < kChunk) ? rp : r0 + kChunk;
    for (int64_t i = i0; i < i1; i += 4) {
      const double* x0 = mt + i * rp;
      const double* x1 = x0 + rp;
      const double* x2 = x1 + rp;
      const double* x3 = x2 + rp;
      for (int64_t j = 0; j < i + 4; j += 2) {
        const double* y0 = mt + j * rp;
        const double* y1 = y0 + rp;
        vf64 acc[4][2] = {};
        for (int64_t r = r0; r < r1; r += 4) {
          const vf64 a0 = *reinterpret_cast<const vf64u*>(x0 + r);
          const vf64 a1 = *reinterpret_cast<const vf64u*>(x1 + r);
          const vf64 a2 = *reinterpret_cast<const vf64u*>(x2 + r);
          const vf64 a3 = *reinterpret_cast<const vf64u*>(x3 + r);
          const vf64 b0 = *reinterpret_cast<const vf64u*>(y0 + r);
          const vf64 b1 = *reinterpret_cast<const vf64u*>(y1 + r);
          acc[0][0] += a0 * b0; acc[0][1] += a0 * b1;
          acc[1][0] += a1 * b0; acc[1][1] += a1 * b1;
          acc[2][0] += a2 * b0; acc[2][1] += a2 * b1;
          acc[3][0] += a3 * b0; acc[3][1] += a3 * b1;
        }
        for (int ii = 0; ii < 4; ++ii)
          for (int jj = 0; jj < 2; ++jj) {
            const vf64 s = acc[ii][jj];
            g[(i + ii) * dp + j + jj] += (s[0] + s[1]) + (s[2] + s[3]);
          }
      }
    }
  }
}

// One row of the fused tridiagonalisation pass over columns [j0, j1) of row i (diagonal excluded):
// a_ij -= vp_i wp_j + wp_i vp_j (the previous reflector's rank-2 update), p_j += a_ij v_i, and
// returns sum_j a_ij v_j (this row's share of the symmetric product p = S v).
static double tridiag_fused_row(double* arow, const double* vp, const double* wp, double vpi, double wpi,
                                const double* v, double vi, double* p, int64_t j0, int64_t j1) {
  const vf64 bvp = splat<vf64>(vpi), bwp = splat<vf64>(wpi), bvi = splat<vf64>(vi);
  vf64 dot0{}, dot1{};
  int64_t j = j0;
  for (; j + 8 <= j1; j += 8) {
    vf64 a0 = *reinterpret_cast<vf64u*>(arow + j);
    vf64 a1 = *reinterpret_cast<vf64u*>(arow + j + 4);
    a0 -= bvp * *reinterpret_cast<const vf64u*>(wp + j) + bwp * *reinterpret_cast<const vf64u*>(vp + j);
    a1 -= bvp * *reinterpret_cast<const vf64u*>(wp + j + 4) + bwp * *reinterpret_cast<const vf64u*>(vp + j + 4);
    *reinterpret_cast<vf64u*>(arow + j) = a0;
    *reinterpret_cast<vf64u*>(arow + j + 4) = a1;
    dot0 += a0 * *reinterpret_cast<const vf64u*>(v + j);
    dot1 += a1 * *reinterpret_cast<const vf64u*>(v + j + 4);
    *reinterpret_cast<vf64u*>(p + j) += a0 * bvi;
    *reinterpret_cast<vf64u*>(p + j + 4) += a1 * bvi;
  }
  const vf64 d = dot0 + dot1;
  double dot = (d[0] + d[1]) + (d[2] + d[3]);
  for (; j < j1; ++j) {
    const double a = arow[j] - (vpi * wp[j] + wpi * vp[j]);
    arow[j] = a;
    dot += a * v[j];
    p[j] += a * vi;
  }
  return dot;
}
