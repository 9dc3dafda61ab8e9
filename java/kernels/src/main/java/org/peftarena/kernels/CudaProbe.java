package org.peftarena.kernels;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * Whether a CUDA device can be used here, asked of our own native library only. The library links
 * the static CUDA runtime and loads without an NVIDIA driver, so probing never touches
 * {@code org.bytedeco.cuda.*} or LibTorch's CUDA classes, whose static initialisers fail without a
 * driver and leave the class unusable for the rest of the process. Ask this first, then load those.
 *
 * @param compiled whether the native library was built with our CUDA kernels
 * @param devices CUDA devices visible (0 without a driver or device)
 * @param driverVersion installed driver's CUDA version, 1000 * major + 10 * minor (0: no driver)
 * @param runtimeVersion CUDA runtime linked into the library (0: built without CUDA)
 * @param firstDevice name of device 0, or empty
 * @param reason why no device can be used, or empty when one can
 */
public record CudaProbe(boolean compiled, int devices, int driverVersion, int runtimeVersion, String firstDevice,
        String reason) {

    /** Probes once through the native library; a library that fails to load gives the reason. */
    public static CudaProbe probe() {
        try {
            boolean compiled = PeftArenaNative.pa_cuda_compiled() != 0;
            int driver;
            int runtime;
            try (IntPointer d = new IntPointer(1); IntPointer r = new IntPointer(1)) {
                PeftArenaNative.pa_cuda_versions(d, r);
                driver = d.get();
                runtime = r.get();
            }
            int devices;
            String note;
            try (IntPointer count = new IntPointer(1)) {
                PeftArenaNative.pa_cuda_device_count(count);
                devices = count.get();
                note = devices > 0 ? "" : PeftArenaNative.pa_last_error().getString();
            }
            String name = "";
            if (devices > 0) {
                try (BytePointer buf = new BytePointer(256)) {
                    if (PeftArenaNative.pa_cuda_device_name(0, buf, 256) == KernelStatus.OK.code()) {
                        name = buf.getString();
                    }
                }
            }
            return new CudaProbe(compiled, devices, driver, runtime, name, reasonFor(compiled, devices, driver, note));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new CudaProbe(false, 0, 0, 0, "", "the native kernel library did not load: " + e.getMessage());
        }
    }

    /** True when our CUDA kernels can run on a device. */
    public boolean available() {
        return reason.isEmpty();
    }

    /** Why no device can be used, from the probe's facts ({@code note}: the library's message). */
    static String reasonFor(boolean compiled, int devices, int driverVersion, String note) {
        if (!compiled) {
            return "the native kernel library was built without CUDA (nvcc was not found at build time)";
        }
        if (devices > 0) {
            return "";
        }
        if (driverVersion == 0) {
            return "no NVIDIA driver found (libcuda.so.1 is missing)" + (note.isEmpty() ? "" : ": " + note);
        }
        return "no CUDA device visible (driver " + version(driverVersion) + ")" + (note.isEmpty() ? "" : ": " + note);
    }

    /** A CUDA version number as "major.minor", or "none" for 0. */
    public static String version(int v) {
        return v <= 0 ? "none" : (v / 1000) + "." + (v % 1000) / 10;
    }
}
