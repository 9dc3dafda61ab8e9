package org.peftarena.cli;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bytedeco.javacpp.Loader;
import org.peftarena.kernels.CudaProbe;

/**
 * The GPU path's state, found in an order that never poisons a class: our own library's probe
 * first (it loads without a driver), then which PyTorch natives are on the classpath (a resource
 * look-up, nothing loaded), and only when both allow it LibTorch's own CUDA check. The CUDA preset
 * classes ({@code org.bytedeco.cuda.*}, {@code torch_cuda}) are touched only after that says yes.
 *
 * @param probe our kernels' CUDA probe
 * @param pytorchNatives which PyTorch native build the classpath holds: "gpu", "cpu", "both" or "none"
 * @param libtorchCuda LibTorch's answer: "available", "unavailable", or why it was not asked
 * @param reason why the GPU path is unavailable, or empty when it is available
 */
record GpuPath(CudaProbe probe, String pytorchNatives, String libtorchCuda, String reason) {
    static final String INSTALL_HINT = "CUDA 13.1, cuDNN 9 and NCCL must be installed (/usr/local/cuda-13.1/lib64 or"
            + " LD_LIBRARY_PATH)";

    /** Detects the state on this machine and classpath. */
    static GpuPath detect() {
        return detect(CudaProbe.probe(), GpuPath.class.getClassLoader(), Loader.getPlatform(),
                () -> org.bytedeco.pytorch.global.torch.cuda_is_available());
    }

    /** Detects the state from a probe, the class loader holding the PyTorch natives and LibTorch's check. */
    static GpuPath detect(CudaProbe probe, ClassLoader loader, String platform, BooleanSupplier libtorchCuda) {
        String natives = natives(loader, platform);
        if (!probe.available()) {
            return new GpuPath(probe, natives, "not asked (no usable CUDA device)", probe.reason());
        }
        if (!"gpu".equals(natives)) {
            String why = switch (natives) {
                case "both" -> "both PyTorch native builds are on the classpath (" + platform + " and " + platform
                        + "-gpu); keep only the -gpu one";
                case "none" -> "no PyTorch natives for " + platform + " are on the classpath";
                default -> "the PyTorch natives on the classpath are the CPU build (" + platform
                        + "); build the GPU distribution with mvn -Pgpu";
            };
            return new GpuPath(probe, natives, "not asked (" + natives + " natives)", why);
        }
        try {
            if (libtorchCuda.getAsBoolean()) {
                return new GpuPath(probe, natives, "available", "");
            }
            return new GpuPath(probe, natives, "unavailable",
                    "LibTorch's CUDA build reports CUDA unavailable; " + INSTALL_HINT);
        } catch (LinkageError e) {
            return new GpuPath(probe, natives, "failed to load",
                    "LibTorch's CUDA build did not load (" + e + "); " + INSTALL_HINT);
        }
    }

    /** Which PyTorch native builds the loader holds, found by resource name (nothing is loaded). */
    static String natives(ClassLoader loader, String platform) {
        boolean gpu = loader.getResource("org/bytedeco/pytorch/" + platform + "-gpu/libjnitorch.so") != null
                || loader.getResource("org/bytedeco/pytorch/" + platform + "-gpu/libjnitorch_cuda.so") != null;
        boolean cpu = loader.getResource("org/bytedeco/pytorch/" + platform + "/libjnitorch.so") != null;
        if (gpu && cpu) {
            return "both";
        }
        return gpu ? "gpu" : cpu ? "cpu" : "none";
    }

    /** True when model, adapters and kernels can run on a CUDA device. */
    boolean available() {
        return reason.isEmpty();
    }

    /** Adds the doctor's GPU lines to a report. */
    void addTo(Map<String, Object> report) {
        report.put("cuda_driver", CudaProbe.version(probe.driverVersion()));
        report.put("cuda_runtime_in_kernels", CudaProbe.version(probe.runtimeVersion()));
        report.put("pytorch_natives", pytorchNatives);
        report.put("libtorch_cuda", libtorchCuda);
        report.put("gpu_path", available() ? "available" : "unavailable: " + reason);
        report.put("gpu_path_available", available());
    }
}
