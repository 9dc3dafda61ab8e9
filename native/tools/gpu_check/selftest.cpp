#include "selftest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "reference.hpp"

namespace pa::check {
namespace {

void expect(Report& report, const char* what, bool ok, double value = NAN) {
  Record r{"selftest", "harness", what, "known-answer", ok, value};
  if (!ok) r.detail = "harness self-check failed";
  report.add(r);
}

}  // namespace

void run_harness_selftest(Report& report) {
  // 2x2 closed forms with Q = [[0, q], [-q, 0]], Q^2 = -q^2 I.
  const float q = 0.3f;
  const double qq = static_cast<double>(q) * q, qd = q;
  const Mat exact = cayley_ref(&q, 2, 0, 1.0);
  const double e00 = (1 - qq) / (1 + qq), e01 = -2 * qd / (1 + qq);
  expect(report, "cayley exact 2x2 closed form",
         std::fabs(exact[0] - e00) < 1e-12 && std::fabs(exact[1] - e01) < 1e-12 && std::fabs(exact[2] + e01) < 1e-12);
  const Mat neu = cayley_ref(&q, 2, 5, 1.0);  // (1 - 2q^2 + q^4) I + (2 - 2q^2) Q
  expect(report, "cayley neumann5 2x2 closed form",
         std::fabs(neu[0] - (1 - 2 * qq + qq * qq)) < 1e-12 && std::fabs(neu[1] - (2 - 2 * qq) * qd) < 1e-12);
  const Mat n3 = cayley_ref(&q, 2, 3, 1.0), n4 = cayley_ref(&q, 2, 4, 1.0);  // both I + 2Q + 2Q^2 + Q^3
  expect(report, "cayley neumann3 == neumann4", n3 == n4 && std::fabs(n3[1] - (2 - qq) * qd) < 1e-12);
  const Mat n1 = cayley_ref(&q, 2, 1, 1.0), n2 = cayley_ref(&q, 2, 2, 1.0);
  expect(report, "cayley neumann1 = I, neumann2 = I + 2Q", n1[0] == 1 && n1[1] == 0 && std::fabs(n2[1] - 2 * qd) < 1e-12);

  // SVD of a known matrix: diag(3, -5, 0) padded to 3x4 has singular values 5, 3, 0.
  std::vector<double> a = {3, 0, 0, 0, 0, -5, 0, 0, 0, 0, 0, 0};
  std::vector<double> s;
  Mat u, vt;
  svd_ref(a.data(), 3, 4, s, u, vt);
  expect(report, "svd reference known singular values",
         std::fabs(s[0] - 5) < 1e-12 && std::fabs(s[1] - 3) < 1e-12 && std::fabs(s[2]) < 1e-12);
  std::vector<float> af = {1, 2, 3, 4, 5, 6}, sf = {9.525518092f, 0.514300581f};
  std::vector<float> good_u = {-0.229847696f, 0.883461018f, -0.524744819f, 0.240782492f, -0.819641941f, -0.401896033f};
  std::vector<float> good_vt = {-0.61962948f, -0.78489445f, -0.78489445f, 0.61962948f};
  const SvdErrors ok = svd_invariants(af.data(), 3, 2, sf.data(), good_u.data(), good_vt.data());
  expect(report, "svd invariants accept a correct SVD", ok.recon < 1e-6 && ok.orth_u < 1e-6 && ok.orth_v < 1e-6 && ok.sorted,
         ok.recon);
  std::vector<float> bad_u = good_u;
  bad_u[0] += 1e-2f;
  const SvdErrors bad = svd_invariants(af.data(), 3, 2, sf.data(), bad_u.data(), good_vt.data());
  expect(report, "svd invariants reject a perturbed U", bad.recon > 1e-3 && bad.orth_u > 1e-3, bad.recon);
  std::vector<float> unsorted = {0.514300581f, 9.525518092f};
  expect(report, "svd invariants reject unsorted values",
         !svd_invariants(af.data(), 3, 2, unsorted.data(), nullptr, nullptr).sorted);

  // The comparison fails on a real difference and on NaN, passes within tolerance.
  std::vector<double> ref = {1.0, 2.0, 3.0};
  std::vector<float> near = {1.0f, 2.0f + 1e-7f, 3.0f}, far = {1.0f, 2.001f, 3.0f};
  std::vector<float> nan = {1.0f, std::numeric_limits<float>::quiet_NaN(), 3.0f};
  expect(report, "compare passes within tolerance", compare(near.data(), ref.data(), 3, 1e-6, 0).pass);
  const Comparison cf = compare(far.data(), ref.data(), 3, 1e-6, 0);
  expect(report, "compare fails outside tolerance", !cf.pass && cf.worst == 1);
  expect(report, "compare fails on NaN", !compare(nan.data(), ref.data(), 3, 1e-6, 0).pass);

  // The VJP reference against central differences of L(q) = <G, cayley(q)> in double.
  for (int terms : {0, 2, 5}) {
    const int b = 4, np = b * (b - 1) / 2;
    std::vector<float> qf = {0.3f, -0.2f, 0.1f, 0.25f, -0.15f, 0.05f};
    std::vector<float> gf = {0.5f, -1.0f, 0.25f, 2.0f, 1.5f, 0.0f, -0.75f, 1.0f,
                             -0.5f, 0.3f, 0.8f, -1.2f, 0.1f, 0.9f, -0.4f, 0.6f};
    const std::vector<double> dq = cayley_vjp_ref(qf.data(), gf.data(), b, terms);
    double worst = 0;
    for (int k = 0; k < np; ++k) {
      std::vector<double> qp(qf.begin(), qf.end()), qm(qf.begin(), qf.end());
      const double h = 1e-6;
      qp[k] += h;
      qm[k] -= h;
      const Mat rp = cayley_ref(qp.data(), b, terms, 1.0), rm = cayley_ref(qm.data(), b, terms, 1.0);
      double fd = 0;
      for (int e = 0; e < b * b; ++e) fd += gf[e] * (rp[e] - rm[e]) / (2 * h);
      worst = std::max(worst, std::fabs(fd - dq[k]));
    }
    const std::string what = std::string("cayley vjp reference vs finite differences, ") +
                             (terms == 0 ? "exact" : "neumann" + std::to_string(terms));
    expect(report, what.c_str(), worst < 1e-7, worst);
  }
  {  // the cross reference: X^T G of a 2 x 2 block by hand
    std::vector<float> x = {1, 2, 9, 3, 4, 9}, g = {5, 6, 7, 8};
    const Mat c = cross_ref(x.data(), 2, 3, g.data(), 2, 2, 0);  // [[1*5+3*7, 1*6+3*8], [2*5+4*7, 2*6+4*8]]
    expect(report, "cross reference 2x2 by hand", c[0] == 26 && c[1] == 30 && c[2] == 38 && c[3] == 44);
  }

  // Rotating by identity blocks returns the input.
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8}, eye = {1, 0, 0, 1, 1, 0, 0, 1};
  const std::vector<double> y = rotate_ref(x.data(), 2, 4, 4, eye.data(), 2, 1);
  bool same = true;
  for (int i = 0; i < 8; ++i) same &= y[i] == x[i];
  expect(report, "rotate reference with identity blocks", same);
}

}  // namespace pa::check
