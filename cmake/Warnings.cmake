# Warnings for our own C++ (not for CUDA device code, which nvcc handles).
function(peftarena_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>)
endfunction()
