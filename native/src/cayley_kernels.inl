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

// HF PEFT's series: I + 2Q + 2Q^2 + sum_{p=3}^{k-2} 2Q^p + Q^max(3, k-1), powers built as P @ Q.
template <typename T>
static void cayley_neumann_one(const T* q, int b, int terms, T scale, T* r, T* work) {
  const int64_t bp = cayley_pad(b);
  const int64_t rows = (b + 3) / 4 * 4;
  T* Q = work;
  T* P = work + bp * bp;
  T* N = work + 2 * bp * bp;
  T* R = work + 3 * bp * bp;
  unpack_skew(q, b, scale, Q, bp);
  for (int64_t i = 0; i < bp * bp; ++i) R[i] = T(0);
  for (int64_t i = 0; i < b; ++i) R[i * bp + i] = T(1);
  if (terms > 1) add_scaled(R, Q, T(2), bp, rows);
  if (terms > 2) {
    small_matmul(Q, Q, P, bp, rows, b);
    add_scaled(R, P, T(2), bp, rows);
    for (int p = 3; p < terms - 1; ++p) {
      small_matmul(P, Q, N, bp, rows, b);
      T* t = P; P = N; N = t;
      add_scaled(R, P, T(2), bp, rows);
    }
    small_matmul(P, Q, N, bp, rows, b);
    add_scaled(R, N, T(1), bp, rows);
  }
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = 0; j < b; ++j) r[i * b + j] = R[i * bp + j];
}

// R = (I - Q)(I + Q)^-1 = 2 (I + Q)^-1 - I by in-place Gauss-Jordan inversion without pivoting:
// the symmetric part of I + Q is I, so every pivot is >= 1 in exact arithmetic.
// Step k: the pivot row becomes P = X[k] / p with P[k] = 1/p, and every other row becomes
// X[i] * K - X[i][k] * P, where K is 1 except K[k] = 0. Whole-vector updates only: a scalar store
// into a row right before a vector load of it would defeat store-to-load forwarding.
template <typename T>
static void cayley_exact_one(const T* q, int b, T scale, T* r, T* work) {
  typedef typename Vec<T>::type V;
  constexpr int W = Vec<T>::W;
  const int64_t bp = cayley_pad(b);
  T* X = work;
  T* P = work + bp * bp;
  T* K = work + 2 * bp * bp;
  unpack_skew(q, b, scale, X, bp);
  for (int64_t i = 0; i < b; ++i) X[i * bp + i] = T(1);
  for (int64_t j = 0; j < bp; ++j) K[j] = T(1);
  for (int64_t k = 0; k < b; ++k) {
    T* xk = X + k * bp;
    const T inv = T(1) / xk[k];
    const V vinv = splat<V>(inv);
    for (int64_t j = 0; j < bp; j += W) *reinterpret_cast<V*>(P + j) = *reinterpret_cast<const V*>(xk + j) * vinv;
    P[k] = inv;
    K[k] = T(0);
    for (int64_t j = 0; j < bp; j += W) *reinterpret_cast<V*>(xk + j) = *reinterpret_cast<const V*>(P + j);
    for (int64_t i = 0; i < b; ++i) {
      if (i == k) continue;
      T* xi = X + i * bp;
      const T f = xi[k];
      if (f == T(0)) continue;
      const V vf = splat<V>(f);
      for (int64_t j = 0; j < bp; j += W) {
        V* xv = reinterpret_cast<V*>(xi + j);
        *xv = *xv * *reinterpret_cast<const V*>(K + j) - vf * *reinterpret_cast<const V*>(P + j);
      }
    }
    K[k] = T(1);
  }
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = 0; j < b; ++j) r[i * b + j] = T(2) * X[i * bp + j] - (i == j ? T(1) : T(0));
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
