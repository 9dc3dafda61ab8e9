package org.peftarena.arena.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.peftarena.model.Threads;

/** The software a run used, recorded with its result. */
public final class RuntimeInfo {
    /** Where the decoder's tensors are computed by this executor. */
    public static final String CPU_BACKEND = "cpu";

    private RuntimeInfo() {
    }

    /** Engine, Java, JavaCPP and LibTorch preset versions, OS and thread settings. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        Package p = RuntimeInfo.class.getPackage();
        v.put("peft_arena", p.getImplementationVersion() == null ? "development" : p.getImplementationVersion());
        v.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        v.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        v.put("javacpp", version("javacpp"));
        v.put("pytorch_preset", version("pytorch"));
        v.put("threads", Threads.current().toString());
        return v;
    }

    private static String version(String artifact) {
        try {
            String s = Loader.getVersion("org.bytedeco", artifact);
            return s == null ? "unknown" : s;
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
