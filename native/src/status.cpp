#include "pa_status.hpp"

#include <cstdio>

namespace {
thread_local char g_message[512] = "";
}

namespace pa {

int fail(int status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(g_message, sizeof(g_message), fmt, args);
  va_end(args);
  return status;
}

void clear_error() { g_message[0] = '\0'; }

}  // namespace pa

extern "C" {

const char* pa_last_error(void) { return g_message; }

const char* pa_version(void) { return "0.1.0"; }

}
