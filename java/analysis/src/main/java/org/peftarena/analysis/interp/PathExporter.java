package org.peftarena.analysis.interp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.FileTrees;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.ModelDType;

/**
 * Writes one Hugging Face model directory per alpha of a path ({@code alpha-<a>/}), for an external
 * evaluator (each with the base's {@code config.json}, every key kept), plus {@code path.json} (what was exported) and {@code scores-template.csv} (the
 * {@code run,alpha,target,general} table {@code import-scores} reads back). Each model directory is
 * written under a temporary name and renamed, so one that exists is complete.
 */
public final class PathExporter {
    /** Manifest file name. */
    public static final String MANIFEST = "path.json";
    /** Score template file name. */
    public static final String SCORES_TEMPLATE = "scores-template.csv";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PathExporter() {}

    /** Directory name of the model at {@code alpha}. */
    public static String dirName(double alpha) {
        return "alpha-" + AlphaGrid.label(alpha);
    }

    /** {@link #export(InterpolationPath, Path, Path, String, ModelDType)} in the base directory's dtype. */
    public static List<ExportedPoint> export(InterpolationPath path, Path baseDir, Path outDir, String run)
            throws IOException {
        return export(path, baseDir, outDir, run, HfModelDirectory.storedDtype(baseDir));
    }

    /**
     * Exports every point of an open path (the path is left at its last point).
     *
     * @param path the path
     * @param baseDir the base model's directory (its tokenizer files are copied next to each model)
     * @param outDir the export directory (created)
     * @param run the run name recorded in the manifest and the score template
     * @param dtype dtype of the written weights
     * @return the exported points, in grid order
     * @throws IOException when writing fails
     */
    public static List<ExportedPoint> export(InterpolationPath path, Path baseDir, Path outDir, String run,
                                             ModelDType dtype) throws IOException {
        Path config = baseDir.resolve(HfModelDirectory.CONFIG_FILE);
        Files.createDirectories(outDir);
        List<ExportedPoint> points = new ArrayList<>();
        AlphaGrid grid = path.grid();
        for (int i = 0; i < grid.size(); i++) {
            Path target = outDir.resolve(dirName(grid.get(i)));
            Path tmp = outDir.resolve(".tmp-" + target.getFileName());
            FileTrees.delete(tmp);
            path.moveTo(i);
            try {
                path.withMergedWeights(model -> {
                    try {
                        HfModelDirectory.save(HfModelDirectory.convert(model, dtype), tmp, config);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            CompanionFiles.copy(baseDir, tmp);
            FileTrees.delete(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            points.add(new ExportedPoint(grid.get(i), target));
        }
        writeManifest(outDir, run, path.kind(), points);
        return points;
    }

    private static void writeManifest(Path outDir, String run, PathKind kind, List<ExportedPoint> points) throws IOException {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("run", run);
        json.put("path", kind.cliName());
        json.put("path_description", kind.description());
        ArrayNode arr = json.putArray("points");
        StringBuilder csv = new StringBuilder("run,alpha,target,general\n");
        for (ExportedPoint p : points) {
            ObjectNode o = arr.addObject();
            o.put("alpha", p.alpha());
            o.put("dir", outDir.relativize(p.dir()).toString());
            csv.append(csvField(run)).append(',').append(AlphaGrid.label(p.alpha())).append(",,\n");
        }
        AtomicFiles.write(outDir.resolve(MANIFEST), MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(outDir.resolve(SCORES_TEMPLATE), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
