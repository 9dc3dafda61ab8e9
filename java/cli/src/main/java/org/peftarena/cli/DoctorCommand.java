package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.peftarena.arena.build.BuildInfo;
import org.peftarena.kernels.jni.PeftArenaNative;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints what this installation can do: platform, native library, kernel path, CUDA, versions. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the platform, the native kernel library, CPU features, CUDA devices and versions.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws IOException {
        Map<String, Object> report = collect();
        PrintWriter out = spec.commandLine().getOut();
        json.emit(out, report);
        if (!json.replacesText()) {
            int width = report.keySet().stream().mapToInt(String::length).max().orElse(10);
            report.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, text(k, v)));
        }
        out.flush();
        return Boolean.TRUE.equals(report.get("native_library")) ? 0 : Main.EXIT_FAILURE;
    }

    /** A value as the text table shows it. */
    private static String text(String key, Object v) {
        if (v == null) {
            return key.endsWith("_THREADS") ? "(unset)" : "-";
        }
        if (key.equals("native_library") && v instanceof Boolean b) {
            return b ? "ok" : "FAILED";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "-" : String.join(", ", l.stream().map(String::valueOf).toList());
        }
        return v.toString();
    }

    /**
     * The report with typed values: numbers as numbers, flags as booleans, null for what is unknown
     * or unset; the keys are the same whether the native library loads or not.
     */
    static Map<String, Object> collect() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", BuildInfo.current().version());
        r.put("commit", BuildInfo.current().commit());
        r.put("platform", Loader.getPlatform());
        r.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        r.put("OMP_NUM_THREADS", threads(System.getenv("OMP_NUM_THREADS")));
        r.put("OPENBLAS_NUM_THREADS", threads(System.getenv("OPENBLAS_NUM_THREADS")));
        r.put("javacpp", versionOf("org.bytedeco", "javacpp"));
        r.put("pytorch_preset", versionOf("org.bytedeco", "pytorch"));
        r.put("native_library", false);
        r.put("native_error", null);
        r.put("native_version", null);
        r.put("cpu_kernel_path", null);
        r.put("kernel_threads", null);
        r.put("cuda_compiled", null);
        r.put("cuda_devices", null);
        r.put("cuda_device_names", List.of());
        r.put("cuda_note", null);
        try {
            r.put("native_version", PeftArenaNative.pa_version().getString());
            r.put("native_library", true);
            r.put("cpu_kernel_path", PeftArenaNative.pa_cpu_path().getString());
            r.put("kernel_threads", PeftArenaNative.pa_get_num_threads());
            r.put("cuda_compiled", PeftArenaNative.pa_cuda_compiled() != 0);
            try (IntPointer count = new IntPointer(1)) {
                PeftArenaNative.pa_cuda_device_count(count);
                int n = count.get();
                r.put("cuda_devices", n);
                if (n == 0) {
                    r.put("cuda_note", PeftArenaNative.pa_last_error().getString());
                }
                List<String> names = new ArrayList<>();
                for (int d = 0; d < n; d++) {
                    try (BytePointer name = new BytePointer(256)) {
                        names.add(PeftArenaNative.pa_cuda_device_name(d, name, 256) == 0 ? name.getString() : null);
                    }
                }
                r.put("cuda_device_names", names);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            r.put("native_library", false);
            r.put("native_error", e.getMessage());
        }
        GpuPath.detect().addTo(r);
        return r;
    }

    /** A thread-count variable: its number, its text when it is not one, null when unset. */
    private static Object threads(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static String versionOf(String group, String artifact) {
        try {
            return Loader.getVersion(group, artifact);
        } catch (Exception e) {
            return null;
        }
    }
}
