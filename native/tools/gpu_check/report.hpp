// Result records of the GPU check, their comparison helper, and the JSON / CSV / table output.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace pa::check {

struct Record {
  // The identifying fields, optionally the outcome; the rest is filled in field by field.
  Record(std::string phase_, std::string op_, std::string shape_, std::string against_, bool pass_ = true,
         double max_abs_ = NAN, double ratio_ = NAN)
      : phase(std::move(phase_)), op(std::move(op_)), shape(std::move(shape_)), against(std::move(against_)),
        pass(pass_), max_abs(max_abs_), ratio(ratio_) {}
  std::string phase;    // correctness | validation | selftest | bench
  std::string op;       // e.g. cayley_neumann5, svd, block_rotate_t
  std::string shape;    // e.g. batch=65536 b=32
  std::string against;  // reference | cpu | invariant | status | timing
  bool pass = true;
  double max_abs = NAN;  // worst absolute error (or the invariant's value)
  double ratio = NAN;    // worst error / tolerance (<= 1 passes)
  double ms = NAN;       // bench: median milliseconds
  double floor_ms = NAN; // bench: bytes moved / peak bandwidth
  double bytes = NAN;    // bench: bytes moved per call
  std::string detail;
};

// Elementwise |got - ref| <= atol + rtol * |ref|; NaN anywhere fails.
struct Comparison {
  bool pass = true;
  double max_abs = 0;
  double ratio = 0;
  size_t worst = 0;
  std::string describe() const;
};
Comparison compare(const float* got, const double* ref, size_t n, double atol, double rtol);
Comparison compare(const float* got, const float* ref, size_t n, double atol, double rtol);
// Index of the first NaN/Inf in v (n when all finite): outputs are NaN-poisoned before a call.
size_t first_nonfinite(const float* v, size_t n);

class Report {
 public:
  void add(Record r);
  int failures() const;
  size_t size() const { return records_.size(); }
  const std::vector<Record>& records() const { return records_; }
  bool write_json(const std::string& path, const std::string& header_json) const;
  bool write_csv(const std::string& path) const;
  void print_failures() const;

 private:
  std::vector<Record> records_;
};

}  // namespace pa::check
