#include "parallel.hpp"

#include <algorithm>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include "peft_arena.h"
#include "pa_status.hpp"

namespace pa {

int parallel_chunks(const int64_t* bounds, int chunks, const std::function<int(int64_t, int64_t)>& body) {
  if (chunks <= 1) return chunks == 1 ? body(bounds[0], bounds[1]) : PA_OK;
  std::vector<int> status(static_cast<size_t>(chunks), PA_OK);
  std::vector<std::thread> workers;
  int started = 0;
  try {
    workers.reserve(static_cast<size_t>(chunks - 1));
    for (int c = 1; c < chunks; ++c) {
      workers.emplace_back([&, c] { status[static_cast<size_t>(c)] = body(bounds[c], bounds[c + 1]); });
      ++started;
    }
  } catch (const std::exception&) {
    // Could not start a thread: the chunks that did not start run here.
  }
  status[0] = body(bounds[0], bounds[1]);
  for (int c = started + 1; c < chunks; ++c) status[static_cast<size_t>(c)] = body(bounds[c], bounds[c + 1]);
  for (auto& w : workers) w.join();
  for (int s : status)
    if (s != PA_OK) return s;
  return PA_OK;
}

int parallel_for(int64_t n, int64_t min_chunk, const std::function<int(int64_t, int64_t)>& body) {
  if (n <= 0) return PA_OK;
  const int64_t by_size = std::max<int64_t>(1, n / std::max<int64_t>(1, min_chunk));
  const int chunks = static_cast<int>(std::min<int64_t>(thread_count(), by_size));
  try {
    std::vector<int64_t> bounds(static_cast<size_t>(chunks) + 1);
    for (int c = 0; c <= chunks; ++c) bounds[static_cast<size_t>(c)] = n * c / chunks;
    return parallel_chunks(bounds.data(), chunks, body);
  } catch (const std::bad_alloc&) {
    return fail(PA_ERR_ALLOC, "out of memory while splitting work across threads");
  }
}

}  // namespace pa
