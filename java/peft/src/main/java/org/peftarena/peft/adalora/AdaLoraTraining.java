package org.peftarena.peft.adalora;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.TrainingHook;

/**
 * AdaLoRA's part of a training step, as HF PEFT's {@code AdaLoraModel}: the orthogonal regulariser
 * {@code orth_reg_weight * mean over A and B matrices of ||A A^T - I||_F, ||B^T B - I||_F} added to the
 * loss, and the rank allocator run after every optimizer update.
 */
public final class AdaLoraTraining implements TrainingHook {
    private final AdaLoraConfig config;
    private final List<AdaLoraLayer> layers;
    private final RankAllocator allocator;

    /**
     * @param config the schedule, with the run's total step count set
     * @param adapted the adapted layers by module path, in model order (all AdaLoRA layers)
     */
    public AdaLoraTraining(AdaLoraConfig config, Map<String, AdapterLayer> adapted) {
        Map<String, AdaLoraLayer> ada = new LinkedHashMap<>();
        adapted.forEach((path, l) -> ada.put(path, (AdaLoraLayer) l));
        this.config = config;
        this.layers = List.copyOf(ada.values());
        this.allocator = new RankAllocator(config, ada);
    }

    /** The allocator driving the budget. */
    public RankAllocator allocator() {
        return allocator;
    }

    /** {@code orth_reg_weight} times the orthogonal regulariser; null when the weight is 0 (HF PEFT requires it positive). */
    @Override
    public Tensor extraLoss() {
        if (config.orthRegWeight() <= 0) {
            return null;
        }
        return orthogonalRegulariser(layers).mul(new Scalar(config.orthRegWeight()));
    }

    @Override
    public void afterOptimizerStep(int step) {
        allocator.updateAndAllocate(step);
    }

    @Override
    public Map<String, Tensor> state() {
        return allocator.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        allocator.loadState(state);
    }

    /**
     * The mean of {@code ||A A^T - I||_F} and {@code ||B^T B - I||_F} over every layer's A and B (HF PEFT's
     * {@code regu_loss}, unweighted), differentiable.
     */
    public static Tensor orthogonalRegulariser(List<AdaLoraLayer> layers) {
        Tensor sum = null;
        for (AdaLoraLayer l : layers) {
            Tensor termA = frobeniusFromIdentity(l.a().matmul(l.a().t()));
            Tensor termB = frobeniusFromIdentity(l.b().t().matmul(l.b()));
            Tensor both = termA.add(termB);
            sum = sum == null ? both : sum.add(both);
        }
        return sum.div(new Scalar(2.0 * layers.size()));
    }

    private static Tensor frobeniusFromIdentity(Tensor cov) {
        return cov.sub(torch.eye(cov.size(0), cov.options())).pow(new Scalar(2)).sum().sqrt();
    }
}
