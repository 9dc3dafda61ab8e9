// 256-bit vector helpers shared by the kernel variants. Included inside an instruction-set
// namespace (see kernels_generic.cpp / kernels_avx2.cpp); PA_ISA_AVX2 selects intrinsics.

typedef float vf32 __attribute__((vector_size(32)));
typedef double vf64 __attribute__((vector_size(32)));
typedef int32_t vi32 __attribute__((vector_size(32)));
typedef int64_t vi64 __attribute__((vector_size(32)));
// Unaligned variants for loads and stores from caller memory.
typedef float vf32u __attribute__((vector_size(32), aligned(4)));
typedef double vf64u __attribute__((vector_size(32), aligned(8)));

template <typename T> struct Vec;
template <> struct Vec<float> {
  typedef vf32 type;
  typedef vf32u utype;
  typedef vi32 mask;
  static constexpr int W = 8;
};
template <> struct Vec<double> {
  typedef vf64 type;
  typedef vf64u utype;
  typedef vi64 mask;
  static constexpr int W = 4;
};

static inline vf32 vsqrt(const vf32& xin) {
  vf32 x = xin;
#if PA_ISA_AVX2
  return (vf32)_mm256_sqrt_ps((__m256)x);
#elif defined(__SSE2__)
  __m128 lo, hi;
  __builtin_memcpy(&lo, &x, 16);
  __builtin_memcpy(&hi, reinterpret_cast<char*>(&x) + 16, 16);
  lo = _mm_sqrt_ps(lo);
  hi = _mm_sqrt_ps(hi);
  vf32 r;
  __builtin_memcpy(&r, &lo, 16);
  __builtin_memcpy(reinterpret_cast<char*>(&r) + 16, &hi, 16);
  return r;
#else
  for (int l = 0; l < 8; ++l) x[l] = __builtin_sqrtf(x[l]);
  return x;
#endif
}

static inline vf64 vsqrt(const vf64& xin) {
  vf64 x = xin;
#if PA_ISA_AVX2
  return (vf64)_mm256_sqrt_pd((__m256d)x);
#elif defined(__SSE2__)
  __m128d lo, hi;
  __builtin_memcpy(&lo, &x, 16);
  __builtin_memcpy(&hi, reinterpret_cast<char*>(&x) + 16, 16);
  lo = _mm_sqrt_pd(lo);
  hi = _mm_sqrt_pd(hi);
  vf64 r;
  __builtin_memcpy(&r, &lo, 16);
  __builtin_memcpy(reinterpret_cast<char*>(&r) + 16, &hi, 16);
  return r;
#else
  for (int l = 0; l < 4; ++l) x[l] = __builtin_sqrt(x[l]);
  return x;
#endif
}

static inline bool any_lane(const vi32& m) {
#if PA_ISA_AVX2
  return _mm256_movemask_ps((__m256)m) != 0;
#else
  int32_t acc = 0;
  for (int l = 0; l < 8; ++l) acc |= m[l];
  return acc != 0;
#endif
}

static inline bool any_lane(const vi64& m) {
#if PA_ISA_AVX2
  return _mm256_movemask_pd((__m256d)m) != 0;
#else
  int64_t acc = 0;
  for (int l = 0; l < 4; ++l) acc |= m[l];
  return acc != 0;
#endif
}

template <typename V> static inline V vabs(const V& x) { return x < 0 ? -x : x; }
template <typename V, typename S> static inline V splat(S s) { return V{} + s; }
