// Batched Cayley transform kernels (exact and Cayley-Neumann), one block at a time in a padded
// row-major work area whose leading dimension bp is a multiple of 8, so every row is a whole
// number of aligned vectors; the zero padding keeps the padded products exact.

// C[0:rows, 0:bp] = A[0:rows, 0:kmax] @ B[0:kmax, 0:bp]; rows a multiple of 4.
template <typename T>
static void small_matmul(const T* A, const T* B, T* C, int64_t bp, int64_t rows, int64_t kmax) {
  typedef typename Vec<T>::type V;
  constexpr int W = Vec<T>::W;
  for (int64_t i0 = 0; i0 < rows; i0 += 4) {
    int64_t j0 = 0;
    for (; j0 + 2 * W <= bp; j0 += 2 * W) {
      V acc[4][2] = {};
      for (int64_t k = 0; k < kmax; ++k) {
        const V b0 = *reinterpret_cast<const V*>(B + k * bp + j0);
        const V b1 = *reinterpret_cast<const V*>(B + k * bp + j0 + W);
        for (int r = 0; r < 4; ++r) {
          const V a = splat<V>(A[(i0 + r) * bp + k]);
          acc[r][0] += a * b0;
          acc[r][1] += a * b1;
        }
      }
      for (int r = 0; r < 4; ++r) {
        *reinterpret_cast<V*>(C + (i0 + r) * bp + j0) = acc[r][0];
        *reinterpret_cast<V*>(C + (i0 + r) * bp + j0 + W) = acc[r][1];
      }
    }
    for (; j0 < bp; j0 += W) {
      V acc[4] = {};
      for (int64_t k = 0; k < kmax; ++k) {
        const V b0 = *reinterpret_cast<const V*>(B + k * bp + j0);
        for (int r = 0; r < 4; ++r) acc[r] += splat<V>(A[(i0 + r) * bp + k]) * b0;
      }
      for (int r = 0; r < 4; ++r) *reinterpret_cast<V*>(C + (i0 + r) * bp + j0) = acc[r];
    }
  }
}

// Unpacks one packed generator into the padded skew matrix Q = scale * (Mq - Mq^T).
template <typename T>
static void unpack_skew(const T* q, int b, T scale, T* Q, int64_t bp) {
  for (int64_t i = 0; i < bp * bp; ++i) Q[i] = T(0);
  int64_t idx = 0;
  for (int i = 0; i < b; ++i) {
    for (int j = i + 1; j < b; ++j, ++idx) {
      const T v = scale * q[idx];
      Q[i * bp + j] = v;
      Q[j * bp + i] = -v;
    }
  }
}

// R += alpha * P over the first rows rows (whole padded rows).
template <typename T>
static void add_scaled(T* R, const T* P, T alpha, int64_t bp, int64_t rows) {
  typedef typename Vec<T>::type V;
  constexpr int W = Vec<T>::W;
  const V a = splat<V>(alpha);
  for (int64_t i = 0; i < rows * bp; i += W)
    *reinterpret_cast<V*>(R + i) += a * *reinterpret_cast<const V*>(P + i);
}

// HF PEFT's series as sum_i c_i Q^i: degree, coefficients and split come from pa_kernel_spec.h.

// R += c * I on the first b diagonal entries.
template <typename T>
static void add_identity(T* R, T c, int b, int64_t bp) {
  for (int64_t i = 0; i < b; ++i) R[i * bp + i] += c;
}

// HF PEFT's series evaluated by Paterson-Stockmeyer: the powers Q^2..Q^s (s from pa_neumann_split) are
// formed once and the polynomial is Horner's rule in Q^s over chunks of degree < s,
// so degree d costs about 2 sqrt(d) block products instead of d - 1 (5 terms: 2 instead of 3).
// The value is the same polynomial; only the rounding order differs.
template <typename T>
static void cayley_neumann_one(const T* q, int b, int terms, T scale, T* r, T* work) {
  const int64_t bp = cayley_pad(b);
  const int64_t mm = bp * bp;
  const int64_t rows = (b + 3) / 4 * 4;
  const int d = pa_neumann_degree(terms);
  const int s = pa_neumann_split(d);
  // work: Q^1 .. Q^s, then ACC and TMP
  T* pw[PA_NEUMANN_MAX_POWERS + 1];
  for (int i = 1; i <= s; ++i) pw[i] = work + (i - 1) * mm;
  T* acc = work + s * mm;
  T* tmp = work + (s + 1) * mm;
  unpack_skew(q, b, scale, pw[1], bp);
  for (int i = 2; i <= s && i <= d; ++i) small_matmul(pw[i - 1], pw[1], pw[i], bp, rows, b);
  for (int64_t i = 0; i < mm; ++i) acc[i] = T(0);
  if (d <= s) {  // no Horner step: the plain sum of the powers
    add_identity(acc, T(1), b, bp);
    for (int i = 1; i <= d; ++i) add_scaled(acc, pw[i], pa_neumann_coefficient<T>(i, d), bp, rows);
  } else {
    const int m = d / s;
    // top chunk B_m = sum_{i < s} c_{ms+i} Q^i; when it is a multiple of I its product with Q^s is a scaling
    const bool scalar_top = (d == m * s);
    if (!scalar_top) {
      add_identity(acc, pa_neumann_coefficient<T>(m * s, d), b, bp);
      for (int i = 1; m * s + i <= d; ++i) add_scaled(acc, pw[i], pa_neumann_coefficient<T>(m * s + i, d), bp, rows);
    }
    for (int j = m - 1; j >= 0; --j) {
      if (j == m - 1 && scalar_top) {
        for (int64_t i = 0; i < mm; ++i) tmp[i] = T(0);
        add_scaled(tmp, pw[s], pa_neumann_coefficient<T>(d, d), bp, rows);
      } else {
        small_matmul(pw[s], acc, tmp, bp, rows, b);
      }
      T* t = acc; acc = tmp; tmp = t;
      add_identity(acc, pa_neumann_coefficient<T>(j * s, d), b, bp);
      for (int i = 1; i < s; ++i) add_scaled(acc, pw[i], pa_neumann_coefficient<T>(j * s + i, d), bp, rows);
    }
  }
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = 0; j < b; ++j) r[i * b + j] = acc[i * bp + j];
}

// R = (I - Q)(I + Q)^-1 = 2 (I + Q)^-1 - I by in-place Gauss-Jordan inversion without pivoting:
// the symmetric part of I + Q is I, so every pivot is >= 1 in exact arithmetic.
// Step k: the pivot row becomes P = X[k] / p with P[k] = 1/p, and every other row becomes
// X[i] * K - X[i][k] * P, where K is 1 except K[k] = 0. The factors X[i][k] are gathered first, so
// the update can run one vector column at a time with P and K held in registers. Steps run in
// pairs: the second step's factors follow from the first's by scalar arithmetic, so one pass over
// the matrix does both (one load and one store per row and vector for two steps; the in-place
// update is bound by stores, and halving them let it use a second thread). Whole-vector updates
// only: a scalar store into a row right before a vector load of it would defeat store-to-load
// forwarding.
template <typename T>
static void cayley_exact_one(const T* q, int b, T scale, T* r, T* work) {
  typedef typename Vec<T>::type V;
  constexpr int W = Vec<T>::W;
  const int64_t bp = cayley_pad(b);
  T* X = work;
  T* P = work + bp * bp;
  T* K = work + 2 * bp * bp;
  T* F = work + 3 * bp * bp;
  unpack_skew(q, b, scale, X, bp);
  for (int64_t i = 0; i < b; ++i) X[i * bp + i] = T(1);
  for (int64_t j = 0; j < bp; ++j) K[j] = T(1);
  int64_t k = 0;
  // Two pivot steps per pass over the matrix (one load and one store per vector instead of two):
  // after step k every row is X'[i] = X[i] K - F[i] P, so step k + 1 on it reads
  // F'[i] = X'[i][k+1] = X[i][k+1] - F[i] P[k+1] and writes X''[i] = X[i] (K K') - F[i] (P K') - F'[i] P'.
  T* P2 = work + 3 * bp * bp + bp;   // P' (next to F, which holds b values)
  T* KK = P2 + bp;                    // K K'
  T* PK = KK + bp;                    // P K'
  T* F2 = PK + bp;                    // F'
  for (; k + 1 < b; k += 2) {
    T* xk = X + k * bp;
    T* xk1 = X + (k + 1) * bp;
    const T inv = T(1) / xk[k];
    const V vinv = splat<V>(inv);
    for (int64_t j = 0; j < bp; j += W) *reinterpret_cast<V*>(P + j) = *reinterpret_cast<const V*>(xk + j) * vinv;
    P[k] = inv;
    K[k] = T(0);
    // row k + 1 after step k gives the second pivot row
    const T f1 = xk1[k];
    const V vf1 = splat<V>(f1);
    for (int64_t j = 0; j < bp; j += W) {
      *reinterpret_cast<V*>(P2 + j) = *reinterpret_cast<const V*>(xk1 + j) * *reinterpret_cast<const V*>(K + j)
                                      - vf1 * *reinterpret_cast<const V*>(P + j);
    }
    const T inv2 = T(1) / P2[k + 1];
    const V vinv2 = splat<V>(inv2);
    for (int64_t j = 0; j < bp; j += W) *reinterpret_cast<V*>(P2 + j) = *reinterpret_cast<const V*>(P2 + j) * vinv2;
    P2[k + 1] = inv2;
    const T pk1 = P[k + 1];
    K[k + 1] = T(0);
    for (int64_t j = 0; j < bp; j += W) {
      *reinterpret_cast<V*>(KK + j) = *reinterpret_cast<const V*>(K + j);   // K with zeros at k and k + 1
    }
    K[k + 1] = T(1);
    for (int64_t j = 0; j < bp; ++j) PK[j] = P[j];
    PK[k + 1] = T(0);
    for (int64_t i = 0; i < b; ++i) {
      const T fi = X[i * bp + k];
      F[i] = fi;
      F2[i] = X[i * bp + k + 1] - fi * pk1;
    }
    F[k] = F[k + 1] = T(0);
    F2[k] = F2[k + 1] = T(0);
    for (int64_t j = 0; j < bp; j += W) {
      const V kk = *reinterpret_cast<const V*>(KK + j);
      const V pkv = *reinterpret_cast<const V*>(PK + j);
      const V p2 = *reinterpret_cast<const V*>(P2 + j);
      for (int64_t i = 0; i < b; ++i) {
        V* xv = reinterpret_cast<V*>(X + i * bp + j);
        *xv = *xv * kk - splat<V>(F[i]) * pkv - splat<V>(F2[i]) * p2;
      }
      // rows k and k + 1: X''[k] = P K' - P[k+1] P', X''[k+1] = P'
      *reinterpret_cast<V*>(xk + j) = pkv - splat<V>(pk1) * p2;
      *reinterpret_cast<V*>(xk1 + j) = p2;
    }
    K[k] = T(1);
  }
  for (; k < b; ++k) {
    T* xk = X + k * bp;
    const T inv = T(1) / xk[k];
    const V vinv = splat<V>(inv);
    for (int64_t j = 0; j < bp; j += W) *reinterpret_cast<V*>(P + j) = *reinterpret_cast<const V*>(xk + j) * vinv;
    P[k] = inv;
    K[k] = T(0);
    for (int64_t i = 0; i < b; ++i) F[i] = X[i * bp + k];
    F[k] = T(0);
    for (int64_t j = 0; j < bp; j += W) {
      const V p = *reinterpret_cast<const V*>(P + j);
      const V kk = *reinterpret_cast<const V*>(K + j);
      for (int64_t i = 0; i < b; ++i) {
        V* xv = reinterpret_cast<V*>(X + i * bp + j);
        *xv = *xv * kk - splat<V>(F[i]) * p;
      }
      *reinterpret_cast<V*>(xk + j) = p;  // row k: P (its update above used F[k] = 0 and is overwritten)
    }
    K[k] = T(1);
  }
  for (int64_t i = 0; i < b; ++i) {
    const T* xi = X + i * bp;
    T* ri = r + i * b;
    for (int64_t j = 0; j < b; ++j) ri[j] = T(2) * xi[j];
    ri[i] -= T(1);
  }
}

template <typename T>
static void cayley_range(const T* q, int64_t begin, int64_t end, int b, int terms, T scale, T* r, T* work) {
  const int64_t packed = static_cast<int64_t>(b) * (b - 1) / 2;
  const int64_t bb = static_cast<int64_t>(b) * b;
  for (int64_t item = begin; item < end; ++item) {
    if (terms == 0) {
      cayley_exact_one(q + item * packed, b, scale, r + item * bb, work);
    } else {
      cayley_neumann_one(q + item * packed, b, terms, scale, r + item * bb, work);
    }
  }
}

static void cayley_f32(const float* q, int64_t begin, int64_t end, int b, int terms, float scale, float* r, float* work) {
  cayley_range(q, begin, end, b, terms, scale, r, work);
}
static void cayley_f64(const double* q, int64_t begin, int64_t end, int b, int terms, double scale, double* r, double* work) {
  cayley_range(q, begin, end, b, terms, scale, r, work);
}

// ---- vector-Jacobian product of the Cayley transform (OFT training backward) ----
// Given G = dL/dR for R = cayley(Q), returns dL/dq for the packed generator q (Q = Mq - Mq^T):
// dq[(i, j), i < j] = D[i][j] - D[j][i] with D = dL/dQ.
//  - Neumann series R = sum_i c_i Q^i (degree d): D = sum_{i>=1} c_i sum_{j<i} P^j G P^(i-1-j), P = Q^T,
//    evaluated as T_k = G P^k (k < d), H_j = sum_k c_{j+k+1} T_k and Horner D = H_0 + P (H_1 + P (...)):
//    2 (d - 1) block products (6 for 5 terms).
//  - exact R = (I - Q)(I + Q)^-1: dR = -1/2 (R + I) dQ (R + I), so D = -1/2 A G A with A = (R + I)^T.
// Work: cayley_vjp_work_elems(b, terms) elements.
template <typename T>
static void cayley_vjp_one(const T* q, const T* r, const T* g, int b, int terms, T* dq, T* work) {
  const int64_t bp = cayley_pad(b);
  const int64_t mm = bp * bp;
  const int64_t rows = (b + 3) / 4 * 4;
  T* D;
  if (terms == 0) {
    T* A = work;
    T* Gp = work + mm;
    T* tmp = work + 2 * mm;
    D = work + 3 * mm;
    for (int64_t i = 0; i < mm; ++i) A[i] = Gp[i] = T(0);
    for (int64_t i = 0; i < b; ++i) {
      for (int64_t j = 0; j < b; ++j) {
        A[i * bp + j] = r[j * b + i];
        Gp[i * bp + j] = g[i * b + j];
      }
      A[i * bp + i] += T(1);
    }
    small_matmul(A, Gp, tmp, bp, rows, b);
    small_matmul(tmp, A, D, bp, rows, b);
    for (int64_t i = 0; i < mm; ++i) D[i] *= T(-0.5);
  } else {
    const int d = pa_neumann_degree(terms);
    T* P = work;
    T* acc = work + mm;
    T* tmp = work + 2 * mm;
    T* Tk = work + 3 * mm;  // T_0 .. T_(d-1)
    for (int64_t i = 0; i < mm; ++i) acc[i] = T(0);
    if (d >= 1) {
      unpack_skew(q, b, T(-1), P, bp);  // P = Q^T = -Q
      for (int64_t i = 0; i < mm; ++i) Tk[i] = T(0);
      for (int64_t i = 0; i < b; ++i)
        for (int64_t j = 0; j < b; ++j) Tk[i * bp + j] = g[i * b + j];
      for (int k = 1; k < d; ++k) small_matmul(Tk + (k - 1) * mm, P, Tk + k * mm, bp, rows, b);
      // acc = H_(d-1) = c_d T_0
      add_scaled(acc, Tk, pa_neumann_coefficient<T>(d, d), bp, rows);
      for (int j = d - 2; j >= 0; --j) {
        small_matmul(P, acc, tmp, bp, rows, b);
        T* t = acc; acc = tmp; tmp = t;
        for (int k = 0; k <= d - 1 - j; ++k) add_scaled(acc, Tk + k * mm, pa_neumann_coefficient<T>(j + k + 1, d), bp, rows);
      }
    }
    D = acc;
  }
  int64_t idx = 0;
  for (int i = 0; i < b; ++i)
    for (int j = i + 1; j < b; ++j, ++idx) dq[idx] = D[i * bp + j] - D[j * bp + i];
}

static void cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t begin, int64_t end, int b, int terms,
                           float* dq, float* work) {
  const int64_t packed = static_cast<int64_t>(b) * (b - 1) / 2;
  const int64_t bb = static_cast<int64_t>(b) * b;
  for (int64_t item = begin; item < end; ++item)
    cayley_vjp_one(q + item * packed, r == nullptr ? nullptr : r + item * bb, g + item * bb, b, terms, dq + item * packed,
                   work);
}
