package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.peftarena.kernels.jni.PeftArenaNative;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints what this installation can do: platform, native library, kernel path, CUDA, versions. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the platform, the native kernel library, CPU features, CUDA devices and versions.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> report = collect();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.object(report));
        } else {
            int width = report.keySet().stream().mapToInt(String::length).max().orElse(10);
            report.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, v));
        }
        out.flush();
        return "ok".equals(report.get("native_library")) ? 0 : Main.EXIT_FAILURE;
    }

    static Map<String, String> collect() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("platform", Loader.getPlatform());
        r.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        r.put("max_heap_mb", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
        r.put("OMP_NUM_THREADS", envOr("OMP_NUM_THREADS", "(unset)"));
        r.put("OPENBLAS_NUM_THREADS", envOr("OPENBLAS_NUM_THREADS", "(unset)"));
        r.put("javacpp", versionOf("org.bytedeco", "javacpp"));
        r.put("pytorch_preset", versionOf("org.bytedeco", "pytorch"));
        try {
            r.put("native_version", PeftArenaNative.pa_version().getString());
            r.put("native_library", "ok");
            r.put("cpu_kernel_path", PeftArenaNative.pa_cpu_path().getString());
            r.put("kernel_threads", Integer.toString(PeftArenaNative.pa_get_num_threads()));
            boolean compiled = PeftArenaNative.pa_cuda_compiled() != 0;
            r.put("cuda_compiled", Boolean.toString(compiled));
            try (IntPointer count = new IntPointer(1)) {
                PeftArenaNative.pa_cuda_device_count(count);
                int n = count.get();
                r.put("cuda_devices", Integer.toString(n));
                if (n == 0) {
                    r.put("cuda_note", PeftArenaNative.pa_last_error().getString());
                }
                for (int d = 0; d < n; d++) {
                    try (BytePointer name = new BytePointer(256)) {
                        if (PeftArenaNative.pa_cuda_device_name(d, name, 256) == 0) {
                            r.put("cuda_device_" + d, name.getString());
                        }
                    }
                }
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            r.put("native_library", "FAILED: " + e.getMessage());
        }
        GpuPath.detect().addTo(r);
        return r;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private static String versionOf(String group, String artifact) {
        try {
            String v = Loader.getVersion(group, artifact);
            return v == null ? "unknown" : v;
        } catch (Exception e) {
            return "unknown";
        }
    }
}
