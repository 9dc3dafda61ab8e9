package org.peftarena.peft.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/**
 * The registration LoRA and DoRA share: the rank and alpha settings, and HF PEFT {@code LORA} files
 * ({@link LoraFormat}) told apart by {@code use_dora}. Each method names its configuration and its layer.
 *
 * @param <C> the method's configuration record
 */
public abstract class RankAlphaMethod<C extends ScaledLowRankConfig> implements PeftMethodProvider<C> {
    /** Makes a method's configuration from its rank and alpha. */
    @FunctionalInterface
    public interface ConfigMaker<C> {
        /** @return the configuration (validating both) */
        C make(int rank, double alpha);
    }

    /** Makes a method's adapter layer on a base layer. */
    @FunctionalInterface
    public interface LayerMaker<C> {
        /** @return the layer */
        AdapterLayer make(BaseLinear base, C config, long moduleSeed);
    }

    private final PeftMethod id;
    private final Class<C> type;
    private final boolean useDora;
    private final ConfigMaker<C> maker;
    private final LayerMaker<C> layer;

    /**
     * @param id      the method
     * @param type    its configuration type
     * @param useDora HF PEFT {@code use_dora} of its files
     * @param maker   its configuration from rank and alpha
     * @param layer   its adapter layer
     */
    protected RankAlphaMethod(PeftMethod id, Class<C> type, boolean useDora, ConfigMaker<C> maker, LayerMaker<C> layer) {
        this.id = id;
        this.type = type;
        this.useDora = useDora;
        this.maker = maker;
        this.layer = layer;
    }

    @Override
    public final PeftMethod method() {
        return id;
    }

    @Override
    public final Class<C> configType() {
        return type;
    }

    @Override
    public final List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK, LoraMethod.ALPHA);
    }

    @Override
    public final C configFor(MethodOptions o) {
        return maker.make(o.get(MethodOption.RANK, LoraConfig.DEFAULT_RANK), o.get(LoraMethod.ALPHA, LoraConfig.DEFAULT_ALPHA));
    }

    @Override
    public final LayerFactory layers(C config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> layer.make(base, config, moduleSeed);
    }

    @Override
    public final void writeConfig(C c, ObjectNode json) {
        LoraFormat.write(json, c.rank(), c.alpha(), useDora);
    }

    @Override
    public final C readConfig(JsonNode json, Map<String, String> metadata) {
        return maker.make(LoraFormat.rank(json), LoraFormat.alpha(json));
    }
}
