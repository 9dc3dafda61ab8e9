# Build options. The library must run on any x86-64 host: no -march=native; wider SIMD paths are
# compiled per function with target attributes and chosen at run time (see native/src/cpu_dispatch.cpp).
set(PEFTARENA_CUDA "AUTO" CACHE STRING "Compile the CUDA kernels: AUTO (when nvcc is found), ON, OFF")
option(PEFTARENA_BUILD_TOOLS "Build the standalone native test/benchmark binaries" OFF)
option(PEFTARENA_WERROR "Treat compiler warnings in our C++ and CUDA host code as errors" ON)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
set(CMAKE_CXX_FLAGS_RELEASE "-O3 -DNDEBUG")
