// Splitting a range of independent work items across the library's threads.
#pragma once
#include <cstdint>
#include <functional>

namespace pa {

// Threads the kernels may use (pa_set_num_threads; default: all online cores).
int thread_count();

// Calls body(begin, end) on disjoint chunks covering [0, n) using up to thread_count() threads;
// chunks hold at least min_chunk items, so small problems run on the calling thread. Returns the
// first non-zero status a chunk returned (every chunk still runs), or PA_ERR_ALLOC when a thread
// could not be started and the serial retry also failed.
int parallel_for(int64_t n, int64_t min_chunk, const std::function<int(int64_t, int64_t)>& body);

// As parallel_for, but with explicit chunk boundaries bounds[0] = 0 < ... < bounds[k] = n.
int parallel_chunks(const int64_t* bounds, int chunks, const std::function<int(int64_t, int64_t)>& body);

}  // namespace pa
