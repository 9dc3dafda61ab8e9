// Seeded random inputs for the GPU check (SplitMix64; identical streams on every machine).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

namespace pa::check {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double normal() {
    const double u1 = uniform() + 1e-300, u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  std::vector<float> normals(size_t n, double sigma) {
    std::vector<float> v(n);
    for (auto& x : v) x = static_cast<float>(sigma * normal());
    return v;
  }

 private:
  uint64_t state_;
};

}  // namespace pa::check
