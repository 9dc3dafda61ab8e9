/**
 * Dense linear algebra on CUDA tensors through cuBLAS and cuSOLVER (the {@code org.bytedeco:cuda} presets) with
 * LibTorch's handles, streams and allocator: {@link org.peftarena.model.linalg.CudaLinalg} is the entry; the
 * preset classes are touched only by one holder class, loaded after our own CUDA probe found a device.
 */
package org.peftarena.model.linalg;
