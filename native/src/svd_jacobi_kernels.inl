// One-sided (Hestenes) Jacobi SVD on W matrices at once: element i of column j of every matrix
// sits in one vector, a[j * m + i] holds lane l = matrix l. All lanes run the same cyclic sweep;
// a lane whose pair is already orthogonal gets the identity rotation (c = 1, s = 0). The sweep
// loop stops when no lane rotated, so the work is branch-free and runs at full vector width.

// Columns are stored as a_j = d_j * x_j (and v_j = d_j * y_j) with a per-lane scale d_j, so a
// rotation a_p' = c a_p - s a_q, a_q' = s a_p + c a_q costs two FMAs per element instead of four:
// x_p' = x_p - t (d_q / d_p) x_q, x_q' = x_q + t (d_p / d_q) x_p, d_p' = c d_p, d_q' = c d_q.
// Scales are folded back into the columns after every sweep (c >= 1/sqrt(2), so a sweep cannot
// shrink a scale below 2^-(n/2), far from underflow).
//
// G independent groups (G vectors of matrices, each with its own a, v and nrm block) go through
// the same pair sequence together: one pair's dot -> sqrt/divide -> rotation chain is latency
// bound, and G independent chains let the out-of-order core overlap them.
template <typename T, int G>
static int jacobi_lanes(T* a_, T* v_, T* nrm_, int m, int n, T tol, int max_sweeps) {
  typedef typename Vec<T>::type V;
  typedef typename Vec<T>::mask M;
  const int64_t a_block = static_cast<int64_t>(n) * m;
  const int64_t v_block = static_cast<int64_t>(n) * n;
  V* a[G];
  V* v[G];
  V* nrm[G];
  for (int g = 0; g < G; ++g) {
    a[g] = reinterpret_cast<V*>(a_) + g * a_block;
    v[g] = v_ != nullptr ? reinterpret_cast<V*>(v_) + g * v_block : nullptr;
    nrm[g] = reinterpret_cast<V*>(nrm_) + g * n;
  }
  const bool want_v = v_ != nullptr;
  const V zero{};
  const V one = splat<V>(T(1));
  const V half = splat<V>(T(0.5));
  const V vtol = splat<V>(tol);
  // Beyond this |zeta|, zeta^2 would overflow and t = 1/(2 zeta) is exact to rounding.
  const V huge = splat<V>(T(sizeof(T) == 4 ? 1e18 : 1e150));
  V scale[G][PA_SVD_MAX_DIM];  // n <= PA_SVD_MAX_DIM (the SVD; Procrustes asserts its d fits)
  // Columns below tol * normF(A) are rounding noise (a rank-deficient input): rotating them
  // against others would chase rounding errors forever; their singular values are ~0 and the
  // caller completes their singular vectors.
  V floor2[G];
  if (want_v) {
    for (int g = 0; g < G; ++g)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) v[g][j * n + i] = (i == j) ? one : zero;
  }
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    // Exact norms at the start of every sweep; within it they follow the rotation identities.
    for (int g = 0; g < G; ++g)
      for (int j = 0; j < n; ++j) {
        const V* aj = a[g] + static_cast<int64_t>(j) * m;
        V s0 = zero, s1 = zero;
        int i = 0;
        for (; i + 1 < m; i += 2) { s0 += aj[i] * aj[i]; s1 += aj[i + 1] * aj[i + 1]; }
        if (i < m) s0 += aj[i] * aj[i];
        nrm[g][j] = s0 + s1;
        scale[g][j] = one;
      }
    if (sweep == 0) {
      for (int g = 0; g < G; ++g) {
        V fro2 = zero;
        for (int j = 0; j < n; ++j) fro2 += nrm[g][j];
        floor2[g] = vtol * vtol * fro2;
      }
    }
    bool rotated = false;
    for (int p = 0; p < n - 1; ++p) {
      for (int q = p + 1; q < n; ++q) {
        V apq[G];
        for (int g = 0; g < G; ++g) {
          const V* ap = a[g] + static_cast<int64_t>(p) * m;
          const V* aq = a[g] + static_cast<int64_t>(q) * m;
          V d0 = zero, d1 = zero;
          int i = 0;
          for (; i + 1 < m; i += 2) {
            d0 += ap[i] * aq[i];
            d1 += ap[i + 1] * aq[i + 1];
          }
          if (i < m) d0 += ap[i] * aq[i];
          apq[g] = (d0 + d1) * (scale[g][p] * scale[g][q]);
        }
        for (int g = 0; g < G; ++g) {
          const V app = nrm[g][p];
          const V aqq = nrm[g][q];
          const M need = (vabs(apq[g]) > vtol * vsqrt(app * aqq)) & (app > floor2[g]) & (aqq > floor2[g]);
          if (!any_lane(need)) continue;
          rotated = true;
          // Lanes with apq == 0 give inf/NaN here; they are masked out below.
          const V zeta = (aqq - app) / (apq[g] + apq[g]);
          const V az = vabs(zeta);
          V t = one / (az + vsqrt(one + zeta * zeta));
          t = az > huge ? half / az : t;
          t = zeta < zero ? -t : t;
          t = need ? t : zero;
          const V c = one / vsqrt(one + t * t);
          const V dp = scale[g][p];
          const V dq = scale[g][q];
          const V tp = t * (dq / dp);  // multiplies x_q in the update of x_p
          const V tq = t * (dp / dq);  // multiplies x_p in the update of x_q
          V* ap = a[g] + static_cast<int64_t>(p) * m;
          V* aq = a[g] + static_cast<int64_t>(q) * m;
          for (int r = 0; r < m; ++r) {
            const V x = ap[r];
            const V y = aq[r];
            ap[r] = x - tp * y;
            aq[r] = y + tq * x;
          }
          if (want_v) {
            V* vp = v[g] + static_cast<int64_t>(p) * n;
            V* vq = v[g] + static_cast<int64_t>(q) * n;
            for (int r = 0; r < n; ++r) {
              const V x = vp[r];
              const V y = vq[r];
              vp[r] = x - tp * y;
              vq[r] = y + tq * x;
            }
          }
          scale[g][p] = dp * c;
          scale[g][q] = dq * c;
          nrm[g][p] = app - t * apq[g];
          nrm[g][q] = aqq + t * apq[g];
        }
      }
    }
    for (int g = 0; g < G; ++g)
      for (int j = 0; j < n; ++j) {
        const V d = scale[g][j];
        V* aj = a[g] + static_cast<int64_t>(j) * m;
        for (int i = 0; i < m; ++i) aj[i] *= d;
        if (want_v) {
          V* vj = v[g] + static_cast<int64_t>(j) * n;
          for (int i = 0; i < n; ++i) vj[i] *= d;
        }
      }
    if (!rotated) return sweep + 1;
  }
  return -1;
}

static int jacobi_f32(float* a, float* v, float* nrm, int m, int n, float tol, int max_sweeps) {
  return jacobi_lanes<float, kJacobiGroups>(a, v, nrm, m, n, tol, max_sweeps);
}
static int jacobi_f64(double* a, double* v, double* nrm, int m, int n, double tol, int max_sweeps) {
  return jacobi_lanes<double, kJacobiGroups>(a, v, nrm, m, n, tol, max_sweeps);
}
