package org.peftarena.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.engine.io.TensorInfo;
import org.peftarena.engine.io.TensorStore;

/** Picks the linear modules of a checkpoint that a diagnostic runs on. */
final class ModuleSelection {
    /** Default module pattern: the projections of attention and MLP blocks. */
    static final String DEFAULT_PATTERN = "_proj$";
    private static final String WEIGHT_SUFFIX = ".weight";

    private ModuleSelection() {}

    /**
     * @param store base weights
     * @param regex searched in each module name (the weight name without ".weight")
     * @return module names with a 2-D weight, in name order
     */
    static List<String> linearModules(TensorStore store, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        for (String name : store.names()) {
            if (!name.endsWith(WEIGHT_SUFFIX)) {
                continue;
            }
            TensorInfo info = store.info(name);
            String module = name.substring(0, name.length() - WEIGHT_SUFFIX.length());
            if (info.rank() == 2 && p.matcher(module).find()) {
                out.add(module);
            }
        }
        if (out.isEmpty()) {
            throw new DiagnosticInputException("no 2-D \"*.weight\" tensor of " + store.source()
                    + " has a module name matching /" + regex + "/");
        }
        return out;
    }

    static String weightName(String module) {
        return module + WEIGHT_SUFFIX;
    }

    /** Adapter directories need the PEFT methods' loaders; a merged model directory works everywhere. */
    static void rejectAdapterDir(Path dir) {
        if (Files.isRegularFile(dir.resolve("adapter_config.json"))) {
            throw new DiagnosticInputException(dir + " is an adapter directory; this build analyses merged model"
                    + " directories only (merge the adapter into the base model first)");
        }
    }
}
