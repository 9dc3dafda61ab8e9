package org.peftarena.model;

import java.lang.reflect.InvocationTargetException;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.cuda.CUDAGuard;
import org.bytedeco.pytorch.cuda.CUDAStream;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * LibTorch's CUDA state for a CUDA tensor: a guard making its device current, and the {@code cudaStream_t}
 * of LibTorch's current stream there. Only this class touches LibTorch's CUDA classes, and it is loaded only
 * for a CUDA tensor, which exists only under LibTorch's CUDA build: a CPU process never loads it, so the
 * CUDA classes' static initialisers (which fail without a driver) never run there.
 */
final class CudaStreams {
    private CudaStreams() {}

    /** Runs {@code call} with the tensor's device current, giving it LibTorch's current stream there. */
    @SuppressWarnings("try") // the guard is used for its extent
    static void run(Tensor t, LongConsumer call) {
        try (CUDAGuard guard = new CUDAGuard(t.device())) {
            call.accept(current(t));
        }
    }

    /** Waits until LibTorch's current stream on the tensor's device has passed all work queued so far. */
    static void synchronize(Tensor t) {
        torch_cuda.getCurrentCUDAStream(t.device().index()).synchronize();
    }

    /**
     * The {@code cudaStream_t} of LibTorch's current stream on the tensor's device. {@code CUDAStream.stream()}
     * returns a class of the {@code org.bytedeco:cuda} presets, which only the GPU distribution carries, so it
     * is called reflectively here and read as the plain pointer it is.
     */
    static long current(Tensor t) {
        CUDAStream s = torch_cuda.getCurrentCUDAStream(t.device().index());
        try {
            Object handle = CUDAStream.class.getMethod("stream").invoke(s);
            return handle == null ? 0L : ((Pointer) handle).address();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("LibTorch's CUDAStream.stream() is not usable: " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("LibTorch's current CUDA stream: " + e.getCause(), e.getCause());
        }
    }
}
