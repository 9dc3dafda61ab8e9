package org.peftarena.peft.boft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.AdapterTensors;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers BOFT (block-size form, bias "none"), reading older HF PEFT files through {@link BoftBuffers}. */
public final class BoftMethod implements PeftMethodProvider<BoftConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("boft", PeftMethod.SizeKnob.BLOCK_SIZE, "BOFT", PeftMethod.Trait.ORTHOGONAL);
    /** The number of butterfly factors. */
    public static final MethodOption<Integer> BUTTERFLY_FACTORS = MethodOption.of("butterfly-factors", Integer.class, "M",
            "BOFT butterfly factors (default 1, block-diagonal); in-features must be multiples of block size x 2^(M-1).");

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<BoftConfig> configType() {
        return BoftConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.BLOCK_SIZE, BUTTERFLY_FACTORS);
    }

    @Override
    public BoftConfig configFor(MethodOptions o) {
        return new BoftConfig(o.get(MethodOption.BLOCK_SIZE, BoftConfig.DEFAULT_BLOCK_SIZE),
                o.get(BUTTERFLY_FACTORS, BoftConfig.DEFAULT_BUTTERFLY_FACTORS));
    }

    @Override
    public LayerFactory layers(BoftConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new BoftLayer(base, config);
    }

    @Override
    public void writeConfig(BoftConfig c, ObjectNode o) {
        o.put("boft_block_size", c.blockSize());
        o.put("boft_block_num", 0);
        o.put("boft_n_butterfly_factor", c.butterflyFactors());
        o.put("boft_dropout", 0.0);
        o.put("fan_in_fan_out", false);
        o.put("bias", "none");
        o.put("init_weights", true);
    }

    /** BOFT as HF PEFT configures it; only the block-size form (not {@code boft_block_num}) and bias "none". */
    @Override
    public BoftConfig readConfig(JsonNode json, Map<String, String> metadata) {
        int num = AdapterJson.integer(json, "boft_block_num", 0);
        int b = AdapterJson.integer(json, "boft_block_size", num == 0 ? BoftConfig.DEFAULT_BLOCK_SIZE : 0);
        if (num != 0) {
            throw new AdapterFormatException("BOFT adapters given by boft_block_num (" + num + ") instead of boft_block_size"
                    + " are not supported" + (b != 0 ? " (and HF PEFT rejects setting both)" : ""));
        }
        String bias = AdapterJson.text(json, "bias", "none");
        if (!"none".equals(bias)) {
            throw new AdapterFormatException("BOFT with bias '" + bias + "' is not supported (only \"none\")");
        }
        if (AdapterJson.bool(json, "fan_in_fan_out", false)) {
            throw new AdapterFormatException("BOFT with fan_in_fan_out is not supported");
        }
        int factors = AdapterJson.integer(json, "boft_n_butterfly_factor", BoftConfig.DEFAULT_BUTTERFLY_FACTORS);
        try {
            return new BoftConfig(b, factors);
        } catch (PeftException e) {
            throw new AdapterFormatException("adapter_config.json: " + e.getMessage(), e);
        }
    }

    @Override
    public AdapterTensors tensorsLoaded(BoftConfig config, JsonNode json, Map<String, Tensor> tensors) {
        return BoftBuffers.normalise(config, tensors);
    }
}
