package org.peftarena.peft.adalora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.AdapterTensors;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.TrainingHook;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraMethod;

/** Registers AdaLoRA: its schedule settings, its rank-pattern file layout and its training hook. */
public final class AdaLoraMethod implements PeftMethodProvider<AdaLoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("adalora", PeftMethod.SizeKnob.RANK, "ADALORA");
    /** The initial rank. */
    public static final MethodOption<Integer> INIT_R = MethodOption.of("init-r", Integer.class, "R",
            "AdaLoRA's initial rank (default 1.5 x target rank, 12 for 8).");
    private static final String SCHEDULE = "--tinit, --tfinal, --delta-t and --orth-reg-weight apply to";
    /** Warm-up steps. */
    public static final MethodOption<Integer> TINIT = MethodOption.of("tinit", Integer.class, "STEPS",
            "AdaLoRA: warm-up steps before the rank budget shrinks (default 0).").inGroup(SCHEDULE);
    /** Final steps with a fixed mask. */
    public static final MethodOption<Integer> TFINAL = MethodOption.of("tfinal", Integer.class, "STEPS",
            "AdaLoRA: final steps with the rank mask fixed (default 0).").inGroup(SCHEDULE);
    /** Steps between reallocations. */
    public static final MethodOption<Integer> DELTA_T = MethodOption.of("delta-t", Integer.class, "STEPS",
            "AdaLoRA: steps between rank reallocations (default 1).").inGroup(SCHEDULE);
    /** The orthogonal regulariser's weight. */
    public static final MethodOption<Double> ORTH_REG_WEIGHT = MethodOption.of("orth-reg-weight", Double.class, "W",
            "AdaLoRA: orthogonal regulariser weight (default 0.5).").inGroup(SCHEDULE);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<AdaLoraConfig> configType() {
        return AdaLoraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK, INIT_R, LoraMethod.ALPHA, TINIT, TFINAL, DELTA_T, ORTH_REG_WEIGHT);
    }

    @Override
    public AdaLoraConfig configFor(MethodOptions o) {
        double a = o.get(LoraMethod.ALPHA, LoraConfig.DEFAULT_ALPHA);
        Integer rank = o.get(MethodOption.RANK);
        Integer initR = o.get(INIT_R);
        AdaLoraConfig d = new AdaLoraConfig();
        AdaLoraConfig sized = rank == null ? d : d.withSize(rank);
        int init = initR == null ? Math.max(sized.initR(), sized.targetR()) : initR;
        AdaLoraConfig config = new AdaLoraConfig(sized.targetR(), init, a, d.tinit(), d.tfinal(), d.deltaT(), d.beta1(), d.beta2(),
                d.orthRegWeight());
        return new AdaLoraSchedule(o.get(TINIT), o.get(TFINAL), o.get(DELTA_T), o.get(ORTH_REG_WEIGHT)).applyTo(config);
    }

    @Override
    public LayerFactory layers(AdaLoraConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new AdaLoraLayer(base, config, moduleSeed);
    }

    @Override
    public void writeConfig(AdaLoraConfig c, ObjectNode json) {
        AdaLoraFormat.writeConfig(json, c);
    }

    @Override
    public AdaLoraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        return AdaLoraFormat.readConfig(json);
    }

    /** As HF PEFT: a pruned adapter records its rank pattern and keeps only its kept triplets. */
    @Override
    public Map<String, Tensor> tensorsToSave(AdaLoraConfig config, AdapterSet adapters, ObjectNode json,
            Map<String, Tensor> state) {
        Map<String, boolean[]> rankPattern = AdaLoraFormat.rankPattern(adapters);
        if (rankPattern == null) {
            return state;
        }
        AdaLoraFormat.writeRankPattern(json, rankPattern);
        return AdaLoraFormat.prune(state, rankPattern);
    }

    @Override
    public AdapterTensors tensorsLoaded(AdaLoraConfig config, JsonNode json, Map<String, Tensor> tensors) {
        return new AdapterTensors(config, AdaLoraFormat.expand(json, tensors, config.initR()));
    }

    @Override
    public TrainingHook trainingHook(AdaLoraConfig config, Map<String, AdapterLayer> layers) {
        return new AdaLoraTraining(config, layers);
    }

    @Override
    public LinearScaling linearScaling() {
        return new LinearScaling(".lora_E", 0);
    }
}
