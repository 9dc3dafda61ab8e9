// One-sided (Hestenes) Jacobi SVD on W matrices at once: element i of column j of every matrix
// sits in one vector, a[j * m + i] holds lane l = matrix l. All lanes run the same cyclic sweep;
// a lane whose pair is already orthogonal gets the identity rotation (c = 1, s = 0). The sweep
// loop stops when no lane rotated, so the work is branch-free and runs at full vector width.

template <typename T>
static int jacobi_lanes(T* a_, T* v_, T* nrm_, int m, int n, T tol, int max_sweeps) {
  typedef typename Vec<T>::type V;
  typedef typename Vec<T>::mask M;
  V* a = reinterpret_cast<V*>(a_);
  V* v = reinterpret_cast<V*>(v_);
  V* nrm = reinterpret_cast<V*>(nrm_);
  const V zero{};
  const V one = splat<V>(T(1));
  const V half = splat<V>(T(0.5));
  const V vtol = splat<V>(tol);
  // Beyond this |zeta|, zeta^2 would overflow and t = 1/(2 zeta) is exact to rounding.
  const V huge = splat<V>(T(sizeof(T) == 4 ? 1e18 : 1e150));
  if (v != nullptr) {
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) v[j * n + i] = (i == j) ? one : zero;
  }
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    // Exact norms at the start of every sweep; within it they follow the rotation identities.
    for (int j = 0; j < n; ++j) {
      const V* aj = a + static_cast<int64_t>(j) * m;
      V s0 = zero, s1 = zero;
      int i = 0;
      for (; i + 1 < m; i += 2) { s0 += aj[i] * aj[i]; s1 += aj[i + 1] * aj[i + 1]; }
      if (i < m) s0 += aj[i] * aj[i];
      nrm[j] = s0 + s1;
    }
    bool rotated = false;
    for (int p = 0; p < n - 1; ++p) {
      V* ap = a + static_cast<int64_t>(p) * m;
      for (int q = p + 1; q < n; ++q) {
        V* aq = a + static_cast<int64_t>(q) * m;
        V d0 = zero, d1 = zero, d2 = zero, d3 = zero;
        int i = 0;
        for (; i + 3 < m; i += 4) {
          d0 += ap[i] * aq[i];
          d1 += ap[i + 1] * aq[i + 1];
          d2 += ap[i + 2] * aq[i + 2];
          d3 += ap[i + 3] * aq[i + 3];
        }
        for (; i < m; ++i) d0 += ap[i] * aq[i];
        const V apq = (d0 + d1) + (d2 + d3);
        const V app = nrm[p];
        const V aqq = nrm[q];
        const M need = vabs(apq) > vtol * vsqrt(app * aqq);
        if (!any_lane(need)) continue;
        rotated = true;
        // Lanes with apq == 0 give inf/NaN here; they are masked out below.
        const V zeta = (aqq - app) / (apq + apq);
        const V az = vabs(zeta);
        V t = one / (az + vsqrt(one + zeta * zeta));
        t = az > huge ? half / az : t;
        t = zeta < zero ? -t : t;
        t = need ? t : zero;
        const V c = one / vsqrt(one + t * t);
        const V s = c * t;
        for (int r = 0; r < m; ++r) {
          const V x = ap[r];
          const V y = aq[r];
          ap[r] = c * x - s * y;
          aq[r] = s * x + c * y;
        }
        if (v != nullptr) {
          V* vp = v + static_cast<int64_t>(p) * n;
          V* vq = v + static_cast<int64_t>(q) * n;
          for (int r = 0; r < n; ++r) {
            const V x = vp[r];
            const V y = vq[r];
            vp[r] = c * x - s * y;
            vq[r] = s * x + c * y;
          }
        }
        nrm[p] = app - t * apq;
        nrm[q] = aqq + t * apq;
      }
    }
    if (!rotated) return sweep + 1;
  }
  return -1;
}

static int jacobi_f32(float* a, float* v, float* nrm, int m, int n, float tol, int max_sweeps) {
  return jacobi_lanes<float>(a, v, nrm, m, n, tol, max_sweeps);
}
static int jacobi_f64(double* a, double* v, double* nrm, int m, int n, double tol, int max_sweeps) {
  return jacobi_lanes<double>(a, v, nrm, m, n, tol, max_sweeps);
}
