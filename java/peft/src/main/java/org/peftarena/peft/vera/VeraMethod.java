package org.peftarena.peft.vera;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers VeRA: its layers share one pair of frozen random projections, saved with the adapter. */
public final class VeraMethod implements PeftMethodProvider<VeraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("vera", PeftMethod.SizeKnob.RANK, "VERA");

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<VeraConfig> configType() {
        return VeraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK);
    }

    @Override
    public VeraConfig configFor(MethodOptions o) {
        return new VeraConfig(o.get(MethodOption.RANK, VeraConfig.DEFAULT_RANK), VeraConfig.DEFAULT_D_INITIAL, 0);
    }

    /** The projections are sized by the largest targeted layer. */
    @Override
    public LayerFactory layers(VeraConfig config, List<BaseLinear> targeted, long seed) {
        long inMax = targeted.stream().mapToLong(BaseLinear::in).max().orElseThrow();
        long outMax = targeted.stream().mapToLong(BaseLinear::out).max().orElseThrow();
        VeraProjections projections = new VeraProjections(config.rank(), inMax, outMax, config.projectionSeed(),
                targeted.get(0).device());
        return new LayerFactory() {
            @Override
            public AdapterLayer create(BaseLinear base, long moduleSeed) {
                return new VeraLayer(base, config, projections);
            }

            @Override
            public Map<String, Tensor> sharedSaved() {
                return projections.saved();
            }
        };
    }

    @Override
    public void writeConfig(VeraConfig c, ObjectNode o) {
        o.put("r", c.rank());
        o.put("d_initial", c.dInitial());
        o.put("projection_prng_key", c.projectionSeed());
        o.put("save_projection", true);
        o.put("vera_dropout", 0.0);
        o.put("bias", "none");
    }

    @Override
    public VeraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        if (!AdapterJson.bool(json, "save_projection", true)) {
            throw new AdapterFormatException("VeRA adapters without saved projections are not supported");
        }
        return new VeraConfig(AdapterJson.integer(json, "r"), AdapterJson.number(json, "d_initial", VeraConfig.DEFAULT_D_INITIAL),
                AdapterJson.longInteger(json, "projection_prng_key", 0));
    }

    @Override
    public double defaultLearningRate() {
        return 5e-2;
    }

    @Override
    public LinearScaling linearScaling() {
        return new LinearScaling(".vera_lambda_b", 0);
    }
}
