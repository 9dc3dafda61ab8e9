#include "report.hpp"

#include <cstdio>

namespace pa::check {

std::string Comparison::describe() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "worst index %zu, max abs err %.3g, err/tol %.3g", worst, max_abs, ratio);
  return buf;
}

template <typename R>
static Comparison compare_impl(const float* got, const R* ref, size_t n, double atol, double rtol) {
  Comparison c;
  for (size_t i = 0; i < n; ++i) {
    const double g = got[i], r = static_cast<double>(ref[i]);
    const double err = std::fabs(g - r);
    const double ratio = err / (atol + rtol * std::fabs(r));
    if (!std::isfinite(g) || !std::isfinite(ratio)) {
      if (c.pass || std::isfinite(c.ratio)) c.worst = i;
      c.pass = false;
      c.ratio = INFINITY;
      c.max_abs = INFINITY;
      continue;
    }
    if (ratio > c.ratio) { c.ratio = ratio; c.worst = i; }
    if (err > c.max_abs) c.max_abs = err;
  }
  if (c.ratio > 1.0) c.pass = false;
  return c;
}

Comparison compare(const float* got, const double* ref, size_t n, double atol, double rtol) {
  return compare_impl(got, ref, n, atol, rtol);
}
Comparison compare(const float* got, const float* ref, size_t n, double atol, double rtol) {
  return compare_impl(got, ref, n, atol, rtol);
}

size_t first_nonfinite(const float* v, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i])) return i;
  return n;
}

void Report::add(Record r) {
  if (!r.pass) std::printf("FAIL %-11s %-22s %-30s vs %-9s %s\n", r.phase.c_str(), r.op.c_str(), r.shape.c_str(),
                           r.against.c_str(), r.detail.c_str());
  records_.push_back(std::move(r));
}

int Report::failures() const {
  int f = 0;
  for (const auto& r : records_) f += r.pass ? 0 : 1;
  return f;
}

static std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o;
}

static std::string num(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "null" : "1e308";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

bool Report::write_json(const std::string& path, const std::string& header_json) const {
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return false;
  std::fprintf(f, "{\n  \"header\": %s,\n  \"failures\": %d,\n  \"records\": [\n", header_json.c_str(), failures());
  for (size_t i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    std::fprintf(f,
                 "    {\"phase\": \"%s\", \"op\": \"%s\", \"shape\": \"%s\", \"against\": \"%s\", \"pass\": %s, "
                 "\"max_abs\": %s, \"ratio\": %s, \"ms\": %s, \"floor_ms\": %s, \"bytes\": %s, \"detail\": \"%s\"}%s\n",
                 r.phase.c_str(), r.op.c_str(), json_escape(r.shape).c_str(), r.against.c_str(), r.pass ? "true" : "false",
                 num(r.max_abs).c_str(), num(r.ratio).c_str(), num(r.ms).c_str(), num(r.floor_ms).c_str(),
                 num(r.bytes).c_str(), json_escape(r.detail).c_str(), i + 1 < records_.size() ? "," : "");
  }
  std::fprintf(f, "  ]\n}\n");
  const bool ok = std::fclose(f) == 0;
  return ok && std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool Report::write_csv(const std::string& path) const {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  std::fprintf(f, "phase,op,shape,against,pass,max_abs,ratio,ms,floor_ms,bytes\n");
  for (const auto& r : records_)
    std::fprintf(f, "%s,%s,\"%s\",%s,%d,%s,%s,%s,%s,%s\n", r.phase.c_str(), r.op.c_str(), r.shape.c_str(),
                 r.against.c_str(), r.pass ? 1 : 0, num(r.max_abs).c_str(), num(r.ratio).c_str(), num(r.ms).c_str(),
                 num(r.floor_ms).c_str(), num(r.bytes).c_str());
  return std::fclose(f) == 0;
}

void Report::print_failures() const {
  for (const auto& r : records_)
    if (!r.pass)
      std::printf("  %s %s [%s] vs %s: %s\n", r.phase.c_str(), r.op.c_str(), r.shape.c_str(), r.against.c_str(),
                  r.detail.c_str());
}

}  // namespace pa::check
