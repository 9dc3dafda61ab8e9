# Warnings for our own C++ and for the host side of our CUDA code (device code: nvcc's own checks).
# Errors by default, so a new warning cannot slip in; PEFTARENA_WERROR=OFF keeps them warnings (for
# compilers newer than the ones this code is checked with).
function(peftarena_warnings target)
  set(werror "")
  set(cuda_werror "")
  if(PEFTARENA_WERROR)
    set(werror -Werror)
    set(cuda_werror ,-Werror --Werror=all-warnings)
  endif()
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra ${werror}>
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra${cuda_werror}>)
endfunction()
