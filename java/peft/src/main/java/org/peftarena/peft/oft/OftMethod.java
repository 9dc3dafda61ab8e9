package org.peftarena.peft.oft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.TrainingHook;

/** Registers OFT (block-size form, no COFT or block sharing) with its Cayley settings. */
public final class OftMethod implements PeftMethodProvider<OftConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("oft", PeftMethod.SizeKnob.BLOCK_SIZE, "OFT", PeftMethod.Trait.ORTHOGONAL);
    private static final String CAYLEY_SETTINGS = "Cayley settings apply to";
    /** The Cayley variant: {@code exact}, or {@code neumann} (the series, with {@link #NEUMANN_TERMS} terms). */
    public static final MethodOption<CayleyVariant> CAYLEY = new MethodOption<>("cayley", CayleyVariant.class, "VARIANT",
            "OFT rotation: neumann (default, R ~ (I+Q)(I-Q)^-1, HF use_cayley_neumann) or exact (R = (I-Q)(I+Q)^-1).",
            CAYLEY_SETTINGS, OftMethod::parseVariant);
    /** The number of Neumann terms. */
    public static final MethodOption<Integer> NEUMANN_TERMS = MethodOption.of("neumann-terms", Integer.class, "N",
            "OFT Neumann series terms (default 5).").inGroup(CAYLEY_SETTINGS);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<OftConfig> configType() {
        return OftConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.BLOCK_SIZE, CAYLEY, NEUMANN_TERMS);
    }

    @Override
    public OftConfig configFor(MethodOptions o) {
        return new OftConfig(o.get(MethodOption.BLOCK_SIZE, OftConfig.DEFAULT_BLOCK_SIZE),
                OftConfig.variant(o.get(CAYLEY, OftConfig.DEFAULT_VARIANT).isNeumann(),
                        o.get(NEUMANN_TERMS, OftConfig.DEFAULT_NEUMANN_TERMS)));
    }

    @Override
    public LayerFactory layers(OftConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new OftLayer(base, config);
    }

    /** The Cayley-Neumann series is watched for leaving the orthogonal regime ({@link NeumannSeriesCheck}). */
    @Override
    public TrainingHook trainingHook(OftConfig config, Map<String, AdapterLayer> layers) {
        return NeumannSeriesCheck.forLayers(config, layers);
    }

    @Override
    public void writeConfig(OftConfig c, ObjectNode o) {
        o.put("r", 0);
        o.put("oft_block_size", c.blockSize());
        o.put("use_cayley_neumann", c.variant().isNeumann());
        o.put("num_cayley_neumann_terms", c.neumannTerms());
        o.put("module_dropout", 0.0);
        o.put("coft", false);
        o.put("eps", 6e-5);
        o.put("block_share", false);
        o.put("bias", "none");
        o.put("init_weights", true);
    }

    @Override
    public OftConfig readConfig(JsonNode json, Map<String, String> metadata) {
        if (AdapterJson.bool(json, "coft", false) || AdapterJson.bool(json, "block_share", false)) {
            throw new AdapterFormatException("OFT with coft or block_share is not supported");
        }
        int b = AdapterJson.integer(json, "oft_block_size", 0);
        if (b == 0) {
            throw new AdapterFormatException("OFT adapters given by r instead of oft_block_size are not supported");
        }
        return new OftConfig(b, OftConfig.variant(AdapterJson.bool(json, "use_cayley_neumann", true),
                AdapterJson.integer(json, "num_cayley_neumann_terms", OftConfig.DEFAULT_NEUMANN_TERMS)));
    }

    /** {@code neumann} (the series with the default terms; {@code --neumann-terms} sets them) or {@code exact}. */
    private static CayleyVariant parseVariant(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "neumann" -> OftConfig.DEFAULT_VARIANT;
            case "exact" -> CayleyVariant.EXACT;
            default -> throw new PeftException("--cayley must be neumann or exact, got " + value);
        };
    }
}
