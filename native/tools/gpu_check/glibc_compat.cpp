// The static libstdc++ refers to arc4random (glibc 2.36) for std::random_device; defining it
// here keeps the carried gpu_check binary loadable on glibc 2.35 systems.
#include <sys/random.h>

#include <cstdint>

extern "C" uint32_t arc4random(void) {
  uint32_t v = 0;
  while (getrandom(&v, sizeof v, 0) != static_cast<ssize_t>(sizeof v)) {
  }
  return v;
}
