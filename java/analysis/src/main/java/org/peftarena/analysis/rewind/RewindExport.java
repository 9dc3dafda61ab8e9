package org.peftarena.analysis.rewind;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.analysis.interp.CompanionFiles;
import org.peftarena.analysis.interp.WeightSnapshot;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.FiniteValues;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/**
 * Writes a rewound adapter in HF PEFT layout ({@code adapter/}), the base model with it merged in
 * Hugging Face layout ({@code model/}: the base's {@code config.json} with every key kept, tokenizer
 * files copied from the base) and the factors ({@code rewind.json}).
 */
public final class RewindExport {
    /** Sub-directory of the adapter. */
    public static final String ADAPTER_DIR = "adapter";
    /** Sub-directory of the merged model. */
    public static final String MODEL_DIR = "model";
    /** File of the factors. */
    public static final String PLAN_FILE = "rewind.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RewindExport() {}

    /** {@link #write(LlamaModel, Path, AdapterCheckpoint, RewindPlan, Path, ModelDType)} in the base directory's dtype. */
    public static void write(LlamaModel base, Path baseDir, AdapterCheckpoint rewound, RewindPlan plan, Path outDir)
            throws IOException {
        write(base, baseDir, rewound, plan, outDir, HfModelDirectory.storedDtype(baseDir));
    }

    /**
     * @param base the float32 base model with no adapter attached (left unchanged)
     * @param baseDir its directory (tokenizer files)
     * @param rewound the rewound adapter ({@link Rewinder#apply})
     * @param plan the factors that produced it
     * @param outDir output directory (created)
     * @param dtype dtype of the merged model's weights
     * @throws IOException when writing fails
     */
    public static void write(LlamaModel base, Path baseDir, AdapterCheckpoint rewound, RewindPlan plan, Path outDir,
                             ModelDType dtype) throws IOException {
        requireFinite(plan);
        Files.createDirectories(outDir);
        PeftModel pm = PeftModel.attach(base, rewound.config(), rewound.targets(), 0L);
        try {
            pm.adapters().load(rewound.tensors());
            AdapterIO.save(pm.adapters(), outDir.resolve(ADAPTER_DIR), rewound.baseModel());
            WeightSnapshot w0 = WeightSnapshot.of(pm.adapters().layers().values());
            pm.merge();
            try {
                HfModelDirectory.save(HfModelDirectory.convert(base, dtype), outDir.resolve(MODEL_DIR),
                        baseDir.resolve(HfModelDirectory.CONFIG_FILE));
                CompanionFiles.copy(baseDir, outDir.resolve(MODEL_DIR));
            } finally {
                pm.unmerge();
                w0.restore();
            }
        } finally {
            pm.detach();
        }
        AtomicFiles.write(outDir.resolve(PLAN_FILE), MAPPER.writeValueAsString(json(plan)).getBytes(StandardCharsets.UTF_8));
    }

    /** The plan as JSON: recipe, rho* and one object per layer. */
    public static ObjectNode json(RewindPlan plan) {
        ObjectNode o = MAPPER.createObjectNode();
        RewindOptions opt = plan.options();
        o.put("strategy", opt.strategy().cliName());
        o.put("strategy_description", opt.strategy().description());
        if (opt.strategy() == RewindStrategy.UNIFORM) {
            o.put("alpha", opt.alpha());
        } else {
            o.put("rho", opt.strength().cliName());
            o.put("rho_star", plan.rhoStar());
        }
        o.put("sqrt", opt.sqrt());
        o.put("depth", plan.depth());
        if (opt.strategy() == RewindStrategy.SAFE_RHO) {
            o.put("reference_fraction", opt.referenceFraction());
            o.put("reference_layers", plan.referenceLayers());
        }
        if (!Double.isNaN(plan.cayleyAlpha())) {
            o.put("cayley_alpha", plan.cayleyAlpha());
        }
        if (plan.warning() != null) {
            o.put("warning", plan.warning());
        }
        ArrayNode layers = o.putArray("layers");
        for (LayerFactor l : plan.layers()) {
            ObjectNode n = layers.addObject();
            n.put("layer", l.layer());
            n.put("modules", l.modules());
            if (!Double.isNaN(l.rho())) {
                n.put("rho", l.rho());
            }
            n.put("alpha", l.alpha());
            n.put("factor", l.factor());
        }
        return o;
    }

    /** A NaN rho* or factor would scale every generator into NaN; it is refused before anything is written. */
    static void requireFinite(RewindPlan plan) {
        if (plan.options().strategy() != RewindStrategy.UNIFORM) {
            FiniteValues.requireScale("rewind plan", "rho*", plan.rhoStar());
        }
        for (LayerFactor l : plan.layers()) {
            FiniteValues.requireScale("rewind plan", "alpha of layer " + l.layer(), l.alpha());
            FiniteValues.requireScale("rewind plan", "factor of layer " + l.layer(), l.factor());
        }
    }
}
