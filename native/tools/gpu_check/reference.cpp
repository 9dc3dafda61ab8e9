#include "reference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace pa::check {

template <typename T>
static Mat skew_from_packed_t(const T* q, int b, double scale) {
  Mat m(static_cast<size_t>(b) * b, 0.0);
  int e = 0;
  for (int i = 0; i < b; ++i)
    for (int j = i + 1; j < b; ++j, ++e) {
      m[i * b + j] = scale * q[e];
      m[j * b + i] = -scale * q[e];
    }
  return m;
}

Mat skew_from_packed(const float* q, int b, double scale) { return skew_from_packed_t(q, b, scale); }

static Mat matmul(const Mat& a, const Mat& b, int n) {
  Mat c(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int l = 0; l < n; ++l)
      for (int j = 0; j < n; ++j) c[i * n + j] += a[i * n + l] * b[l * n + j];
  return c;
}

// Inverse with partial pivoting (Gauss-Jordan on [A | I]).
static Mat inverse(Mat a, int n) {
  Mat inv(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) inv[i * n + i] = 1.0;
  for (int p = 0; p < n; ++p) {
    int piv = p;
    for (int i = p + 1; i < n; ++i)
      if (std::fabs(a[i * n + p]) > std::fabs(a[piv * n + p])) piv = i;
    for (int j = 0; j < n; ++j) {
      std::swap(a[p * n + j], a[piv * n + j]);
      std::swap(inv[p * n + j], inv[piv * n + j]);
    }
    const double d = a[p * n + p];
    for (int j = 0; j < n; ++j) { a[p * n + j] /= d; inv[p * n + j] /= d; }
    for (int i = 0; i < n; ++i) {
      if (i == p) continue;
      const double f = a[i * n + p];
      for (int j = 0; j < n; ++j) { a[i * n + j] -= f * a[p * n + j]; inv[i * n + j] -= f * inv[p * n + j]; }
    }
  }
  return inv;
}

template <typename T>
static Mat cayley_ref_t(const T* q, int b, int terms, double scale) {
  const Mat qm = skew_from_packed_t(q, b, scale);
  Mat r(static_cast<size_t>(b) * b, 0.0);
  for (int i = 0; i < b; ++i) r[i * b + i] = 1.0;
  if (terms == 0) {  // (I - Q)(I + Q)^-1
    Mat ip = r, im = r;
    for (size_t e = 0; e < r.size(); ++e) { ip[e] += qm[e]; im[e] -= qm[e]; }
    return matmul(im, inverse(ip, b), b);
  }
  // Term by term, as HF PEFT writes it: I + 2Q + 2Q^2 + ... + 2Q^(k-2) + Q^(max(3, k-1)).
  if (terms >= 2)
    for (size_t e = 0; e < r.size(); ++e) r[e] += 2.0 * qm[e];
  if (terms >= 3) {
    Mat pw = matmul(qm, qm, b);
    for (size_t e = 0; e < r.size(); ++e) r[e] += 2.0 * pw[e];
    for (int p = 3; p < terms - 1; ++p) {
      pw = matmul(pw, qm, b);
      for (size_t e = 0; e < r.size(); ++e) r[e] += 2.0 * pw[e];
    }
    pw = matmul(pw, qm, b);
    for (size_t e = 0; e < r.size(); ++e) r[e] += pw[e];
  }
  return r;
}

Mat cayley_ref(const float* q, int b, int terms, double scale) { return cayley_ref_t(q, b, terms, scale); }
Mat cayley_ref(const double* q, int b, int terms, double scale) { return cayley_ref_t(q, b, terms, scale); }

std::vector<double> neumann_coefficients_ref(int terms) {
  // I + 2Q + 2Q^2 + ... + 2Q^(k-2) + Q^(max(3, k-1)), as cayley_ref adds the terms.
  std::vector<double> c(1, 1.0);
  if (terms >= 2) c.push_back(2.0);
  if (terms >= 3) {
    c.push_back(2.0);
    for (int p = 3; p < terms - 1; ++p) c.push_back(2.0);
    const int last = std::max(3, terms - 1);
    c.resize(static_cast<size_t>(last) + 1, 0.0);
    c[static_cast<size_t>(last)] += 1.0;
  }
  return c;
}

std::vector<double> cayley_vjp_ref(const float* q, const float* g, int b, int terms) {
  const size_t bb = static_cast<size_t>(b) * b;
  Mat gm(bb);
  for (size_t e = 0; e < bb; ++e) gm[e] = g[e];
  Mat d(bb, 0.0);
  if (terms == 0) {
    const Mat r = cayley_ref(q, b, 0, 1.0);
    Mat a(bb);
    for (int i = 0; i < b; ++i)
      for (int j = 0; j < b; ++j) a[i * b + j] = r[j * b + i] + (i == j ? 1.0 : 0.0);
    d = matmul(matmul(a, gm, b), a, b);
    for (double& v : d) v *= -0.5;
  } else {
    const std::vector<double> c = neumann_coefficients_ref(terms);
    const int deg = static_cast<int>(c.size()) - 1;
    const Mat qm = skew_from_packed(q, b, 1.0);
    Mat p(bb);
    for (int i = 0; i < b; ++i)
      for (int j = 0; j < b; ++j) p[i * b + j] = qm[j * b + i];
    std::vector<Mat> pw(1, Mat(bb, 0.0));  // P^0 .. P^(deg-1)
    for (int i = 0; i < b; ++i) pw[0][i * b + i] = 1.0;
    for (int k = 1; k < deg; ++k) pw.push_back(matmul(pw.back(), p, b));
    std::vector<Mat> gp;  // G P^k
    for (int k = 0; k < deg; ++k) gp.push_back(matmul(gm, pw[k], b));
    for (int i = 1; i <= deg; ++i) {
      if (c[i] == 0.0) continue;
      for (int j = 0; j < i; ++j) {
        const Mat t = matmul(pw[j], gp[i - 1 - j], b);
        for (size_t e = 0; e < bb; ++e) d[e] += c[i] * t[e];
      }
    }
  }
  std::vector<double> dq;
  for (int i = 0; i < b; ++i)
    for (int j = i + 1; j < b; ++j) dq.push_back(d[i * b + j] - d[j * b + i]);
  return dq;
}

Mat cross_ref(const float* x, int64_t rows, int64_t x_stride, const float* g, int64_t g_stride, int b, int64_t j) {
  Mat out(static_cast<size_t>(b) * b, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * x_stride + j * b;
    const float* gr = g + r * g_stride + j * b;
    for (int k = 0; k < b; ++k)
      for (int c = 0; c < b; ++c) out[k * b + c] += static_cast<double>(xr[k]) * gr[c];
  }
  return out;
}

std::vector<double> rotate_ref(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int b,
                               int transpose) {
  std::vector<double> y(static_cast<size_t>(rows * n), 0.0);
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t j = 0; j < n / b; ++j) {
      const float* rj = r + j * b * b;
      for (int c = 0; c < b; ++c) {
        double acc = 0;
        for (int k = 0; k < b; ++k)
          acc += static_cast<double>(x[row * x_stride + j * b + k]) * (transpose ? rj[c * b + k] : rj[k * b + c]);
        y[row * n + j * b + c] = acc;
      }
    }
  return y;
}

void svd_ref(const double* a, int m, int n, std::vector<double>& s, Mat& u, Mat& vt) {
  // Work on columns of W = A (m >= n) or A^T, rotate until orthogonal.
  const bool tall = m >= n;
  const int rows = tall ? m : n, k = tall ? n : m;
  Mat w(static_cast<size_t>(rows) * k), v(static_cast<size_t>(k) * k, 0.0);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < k; ++c) w[r * k + c] = tall ? a[r * n + c] : a[c * n + r];
  for (int i = 0; i < k; ++i) v[i * k + i] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (int i = 0; i < k; ++i)
      for (int j = i + 1; j < k; ++j) {
        double al = 0, be = 0, g = 0;
        for (int r = 0; r < rows; ++r) {
          al += w[r * k + i] * w[r * k + i];
          be += w[r * k + j] * w[r * k + j];
          g += w[r * k + i] * w[r * k + j];
        }
        if (g == 0 || std::fabs(g) <= 1e-15 * std::sqrt(al * be)) continue;
        rotated = true;
        const double zeta = (be - al) / (2 * g);
        const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const double c = 1 / std::sqrt(1 + t * t), sn = c * t;
        for (int r = 0; r < rows; ++r) {
          const double x = w[r * k + i], y = w[r * k + j];
          w[r * k + i] = c * x - sn * y;
          w[r * k + j] = sn * x + c * y;
        }
        for (int r = 0; r < k; ++r) {
          const double x = v[r * k + i], y = v[r * k + j];
          v[r * k + i] = c * x - sn * y;
          v[r * k + j] = sn * x + c * y;
        }
      }
    if (!rotated) break;
  }
  std::vector<double> sig(k);
  for (int c = 0; c < k; ++c) {
    double acc = 0;
    for (int r = 0; r < rows; ++r) acc += w[r * k + c] * w[r * k + c];
    sig[c] = std::sqrt(acc);
  }
  std::vector<int> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return sig[x] > sig[y]; });
  s.assign(k, 0.0);
  u.assign(static_cast<size_t>(m) * k, 0.0);
  vt.assign(static_cast<size_t>(k) * n, 0.0);
  for (int o = 0; o < k; ++o) {
    const int c = order[o];
    s[o] = sig[c];
    for (int r = 0; r < rows; ++r) {
      const double left = sig[c] > 0 ? w[r * k + c] / sig[c] : 0.0;
      if (tall) u[r * k + o] = left; else vt[o * n + r] = left;
    }
    for (int i = 0; i < k; ++i) {
      if (tall) vt[o * n + i] = v[i * k + c]; else u[i * k + o] = v[i * k + c];
    }
  }
}

SvdErrors svd_invariants(const float* a, int m, int n, const float* s, const float* u, const float* vt) {
  const int k = std::min(m, n);
  SvdErrors e;
  for (int i = 0; i < k; ++i) {
    if (!(s[i] >= 0)) e.sorted = false;
    if (i > 0 && !(s[i] <= s[i - 1])) e.sorted = false;
  }
  if (u && vt) {
    double num = 0, den = 0;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        double acc = 0;
        for (int l = 0; l < k; ++l) acc += static_cast<double>(u[i * k + l]) * s[l] * vt[l * n + j];
        num += (acc - a[i * n + j]) * (acc - a[i * n + j]);
        den += static_cast<double>(a[i * n + j]) * a[i * n + j];
      }
    e.recon = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
    if (!std::isfinite(e.recon)) e.recon = INFINITY;
  }
  auto gram_err = [&](const float* x, bool columns, int len) {
    double worst = 0;
    for (int p = 0; p < k; ++p)
      for (int q = 0; q < k; ++q) {
        double acc = 0;
        for (int r = 0; r < len; ++r)
          acc += columns ? static_cast<double>(x[r * k + p]) * x[r * k + q] : static_cast<double>(x[p * len + r]) * x[q * len + r];
        const double d = std::fabs(acc - (p == q ? 1.0 : 0.0));
        worst = std::isfinite(d) ? std::max(worst, d) : INFINITY;
      }
    return worst;
  };
  if (u) e.orth_u = gram_err(u, true, m);
  if (vt) e.orth_v = gram_err(vt, false, n);
  return e;
}

}  // namespace pa::check
