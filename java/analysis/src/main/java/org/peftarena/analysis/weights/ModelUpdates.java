package org.peftarena.analysis.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.formats.io.TensorInfo;
import org.peftarena.formats.io.TensorStore;
import org.peftarena.peft.io.AdapterIO;

/**
 * The per-module updates of a finetuned model given as a directory: an HF PEFT adapter directory
 * (structured updates) or a merged model directory (dense differences).
 */
public final class ModelUpdates {
    private static final String WEIGHT_SUFFIX = ".weight";

    private ModelUpdates() {}

    /** @return whether {@code dir} holds an adapter rather than a model */
    public static boolean isAdapterDir(Path dir) {
        return Files.isRegularFile(dir.resolve(AdapterIO.CONFIG_FILE));
    }

    /**
     * Visits every selected module in name order, one module's weights in memory at a time.
     *
     * @param base the base model's weights
     * @param tunedDir adapter directory or merged model directory
     * @param select which module paths (weight names without ".weight") to analyse
     * @param visitor receives each module
     * @return the number of modules visited
     * @throws DiagnosticInputException when no module is selected, or one is missing or reshaped in the tuned model
     * @throws IOException when reading fails
     */
    public static int forEach(TensorStore base, Path tunedDir, Predicate<String> select,
                              AdapterUpdates.ModuleVisitor visitor) throws IOException {
        if (isAdapterDir(tunedDir)) {
            return AdapterUpdates.forEach(AdapterIO.load(tunedDir), base, select, visitor);
        }
        int count = 0;
        try (ShardedCheckpoint tuned = ShardedCheckpoint.open(tunedDir)) {
            for (String name : base.names()) {
                TensorInfo info = base.info(name);
                if (!name.endsWith(WEIGHT_SUFFIX) || info.rank() != 2) {
                    continue;
                }
                String module = name.substring(0, name.length() - WEIGHT_SUFFIX.length());
                if (!select.test(module)) {
                    continue;
                }
                if (!tuned.contains(name)) {
                    throw new DiagnosticInputException(tunedDir + " has no tensor \"" + name + "\"");
                }
                Tensor w0 = StoredTensors.matrix(base, name);
                Tensor w1 = StoredTensors.matrix(tuned, name);
                if (w0.size(0) != w1.size(0) || w0.size(1) != w1.size(1)) {
                    throw new DiagnosticInputException("\"" + name + "\" is " + w0.size(0) + "x" + w0.size(1)
                            + " in the base model but " + w1.size(0) + "x" + w1.size(1) + " in the finetuned one");
                }
                visitor.visit(new AdapterUpdates.ModuleUpdate(module, w0, DenseUpdate.between(w0, w1)));
                count++;
            }
        }
        if (count == 0) {
            throw new DiagnosticInputException("no 2-D \"*.weight\" tensor of " + base.source()
                    + " has a module name matching " + select);
        }
        return count;
    }
}
