/** The public entry point to the native kernels: {@link org.peftarena.kernels.KernelOps} (batched Cayley transforms and their vector-Jacobian product, block rotations, batched SVD, Procrustes) on the CPU or a CUDA device, with the argument checks and the exceptions they raise. */
package org.peftarena.kernels;
