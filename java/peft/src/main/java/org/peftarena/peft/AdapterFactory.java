package org.peftarena.peft;

import java.util.List;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.adalora.AdaLoraLayer;
import org.peftarena.peft.boft.BoftConfig;
import org.peftarena.peft.boft.BoftLayer;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.dora.DoraLayer;
import org.peftarena.peft.full.FullLayer;
import org.peftarena.peft.hra.HraConfig;
import org.peftarena.peft.hra.HraLayer;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.ia3.Ia3Layer;
import org.peftarena.peft.keeplora.KeepLoraConfig;
import org.peftarena.peft.keeplora.KeepLoraLayer;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraLayer;
import org.peftarena.peft.milora.MiloraConfig;
import org.peftarena.peft.milora.MiloraLayer;
import org.peftarena.peft.miss.MissConfig;
import org.peftarena.peft.miss.MissLayer;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.oft.OftLayer;
import org.peftarena.peft.pissa.PissaConfig;
import org.peftarena.peft.pissa.PissaLayer;
import org.peftarena.peft.vera.VeraConfig;
import org.peftarena.peft.vera.VeraLayer;
import org.peftarena.peft.vera.VeraProjections;

/** Creates the adapter layer of a method for one base layer. */
final class AdapterFactory {
    private AdapterFactory() {}

    /** Shared state that some methods need across layers (VeRA's projections). */
    static VeraProjections sharedProjections(PeftConfig config, List<BaseLinear> targeted, long seed) {
        if (!(config instanceof VeraConfig v)) {
            return null;
        }
        long inMax = targeted.stream().mapToLong(BaseLinear::in).max().orElseThrow();
        long outMax = targeted.stream().mapToLong(BaseLinear::out).max().orElseThrow();
        return new VeraProjections(v.rank(), inMax, outMax, v.projectionSeed());
    }

    static AdapterLayer create(PeftConfig config, BaseLinear base, long seed, VeraProjections projections) {
        long moduleSeed = ParameterInit.moduleSeed(seed, base.path());
        return switch (config.method()) {
            case FULL -> new FullLayer(base);
            case LORA -> new LoraLayer(base, (LoraConfig) config, moduleSeed);
            case DORA -> new DoraLayer(base, (DoraConfig) config, moduleSeed);
            case PISSA -> PissaLayer.create(base, (PissaConfig) config);
            case MILORA -> MiloraLayer.create(base, (MiloraConfig) config);
            case KEEPLORA -> new KeepLoraLayer(base, (KeepLoraConfig) config);
            case IA3 -> new Ia3Layer(base, ((Ia3Config) config).isFeedforward(base.shape()));
            case MISS -> new MissLayer(base, (MissConfig) config);
            case VERA -> new VeraLayer(base, (VeraConfig) config, projections);
            case OFT -> new OftLayer(base, (OftConfig) config);
            case BOFT -> new BoftLayer(base, (BoftConfig) config);
            case HRA -> new HraLayer(base, (HraConfig) config, moduleSeed);
            case ADALORA -> new AdaLoraLayer(base, (AdaLoraConfig) config, moduleSeed);
        };
    }
}
