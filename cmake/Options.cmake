# Build options. The library must run on any x86-64 host: no -march=native; wider SIMD paths are
# compiled per function with target attributes and chosen at run time (see native/src/cpu_dispatch.cpp).
set(PEFTARENA_CUDA "AUTO" CACHE STRING "Compile the CUDA kernels: AUTO (when nvcc is found), ON, OFF")
option(PEFTARENA_BUILD_TOOLS "Build the standalone native test/benchmark binaries" OFF)
option(PEFTARENA_WERROR "Treat compiler warnings in our C++ and CUDA host code as errors" ON)
option(PEFTARENA_SANITIZE "Instrument the C++ (and the emulated CUDA kernels) with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(CMAKE_CXX_FLAGS_RELEASE "-O3 -DNDEBUG")
if(PEFTARENA_SANITIZE)
  # Every finding stops the program (and fails its test). Device code compiled by nvcc is not
  # instrumented; the emulator build runs the same kernel sources as C++ and is.
  set(PEFTARENA_SANITIZE_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${PEFTARENA_SANITIZE_FLAGS}>")
  add_link_options(-fsanitize=address,undefined)
endif()
