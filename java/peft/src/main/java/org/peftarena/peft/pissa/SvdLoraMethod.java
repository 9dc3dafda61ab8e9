package org.peftarena.peft.pissa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraFormat;
import org.peftarena.peft.lora.LoraMethod;
import org.peftarena.peft.lora.LowRankConfig;

/**
 * What PiSSA and MiLoRA share: a rank, LoRA factors from singular triplets of {@code W0}, and storage as
 * the plain LoRA of rank 2r (alpha 2r) HF PEFT converts them to, claimed back through the file's metadata.
 *
 * @param <C> the method's configuration
 */
public abstract class SvdLoraMethod<C extends LowRankConfig> implements PeftMethodProvider<C> {
    private final PeftMethod id;
    private final Class<C> type;
    private final IntFunction<C> ofRank;
    private final SvdLoraLayer.Triplets triplets;
    private final double learningRate;

    protected SvdLoraMethod(PeftMethod id, Class<C> type, IntFunction<C> ofRank, SvdLoraLayer.Triplets triplets,
            double learningRate) {
        this.id = id;
        this.type = type;
        this.ofRank = ofRank;
        this.triplets = triplets;
        this.learningRate = learningRate;
    }

    @Override
    public PeftMethod method() {
        return id;
    }

    @Override
    public Class<C> configType() {
        return type;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK);
    }

    @Override
    public C configFor(MethodOptions o) {
        return ofRank.apply(o.get(MethodOption.RANK, LoraConfig.DEFAULT_RANK));
    }

    @Override
    public LayerFactory layers(C config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new SvdLoraLayer(base, config.rank(), triplets);
    }

    @Override
    public void writeConfig(C c, ObjectNode json) {
        LoraFormat.write(json, 2 * c.rank(), 2 * c.rank(), false);
    }

    @Override
    public int claim(JsonNode json, Map<String, String> metadata) {
        return namedIn(metadata) ? 2 : 0;
    }

    @Override
    public C readConfig(JsonNode json, Map<String, String> metadata) {
        return ofRank.apply(LoraFormat.rank(json) / 2);
    }

    @Override
    public double defaultLearningRate() {
        return learningRate;
    }

    @Override
    public LinearScaling linearScaling() {
        return LoraMethod.SCALE_B;
    }
}
