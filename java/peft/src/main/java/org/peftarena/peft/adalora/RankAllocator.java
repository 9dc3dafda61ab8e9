package org.peftarena.peft.adalora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.PeftException;

/**
 * HF PEFT's AdaLoRA rank allocator: a cubic schedule shrinks the total number of kept triplets from
 * {@code init_r} to {@code target_r} per layer; triplets are ranked by smoothed sensitivity times
 * uncertainty of {@code |p * grad|} and the least important ones get a zero singular value. During
 * the last {@code tfinal} steps the mask chosen at step {@code total_step - tfinal} stays fixed.
 * Steps are zero-based, as the global step HF PEFT's examples pass.
 */
public final class RankAllocator {
    /** Suffix of a layer's entry in the rank pattern (HF PEFT keys it by the {@code lora_E} parameter). */
    public static final String PATTERN_SUFFIX = ".lora_E";

    private static final String[] PARTS = {"lora_A", "lora_E", "lora_B"};

    /**
     * The budget at a step.
     *
     * @param budget triplets to keep over all layers
     * @param mask whether this step masks to the budget
     */
    public record Budget(int budget, boolean mask) {
    }

    private final AdaLoraConfig config;
    private final Map<String, AdaLoraLayer> layers;
    private final int initBudget;
    private final int targetBudget;
    private final List<Tensor[]> expAvgIpt = new ArrayList<>();
    private final List<Tensor[]> expAvgUnc = new ArrayList<>();
    private Map<String, boolean[]> finalPattern;

    /**
     * Allocates the smoothing state (outside any step scope, since it lives for the whole run).
     *
     * @param config the schedule; its {@code totalStep} must be set
     * @param layers the adapted layers by module path, in model order
     * @throws PeftException if the total step count is unknown or there is no layer
     */
    public RankAllocator(AdaLoraConfig config, Map<String, AdaLoraLayer> layers) {
        if (config.totalStep() < 1) {
            throw new PeftException("adalora: the rank allocator needs the number of training steps (total_step)");
        }
        if (layers.isEmpty()) {
            throw new PeftException("adalora: no adapted layer to allocate ranks to");
        }
        this.config = config;
        this.layers = new LinkedHashMap<>(layers);
        int init = 0;
        for (AdaLoraLayer l : layers.values()) {
            init += l.initRank();
            expAvgIpt.add(zerosLike(l));
            expAvgUnc.add(zerosLike(l));
        }
        this.initBudget = init;
        this.targetBudget = config.targetR() * layers.size();
    }

    private static Tensor[] zerosLike(AdaLoraLayer l) {
        return new Tensor[] {torch.zeros_like(l.a()), torch.zeros_like(l.e()), torch.zeros_like(l.b())};
    }

    /** Triplets at the start: {@code init_r} per layer. */
    public int initBudget() {
        return initBudget;
    }

    /** Triplets at the end: {@code target_r} per layer. */
    public int targetBudget() {
        return targetBudget;
    }

    /** HF PEFT's {@code budget_schedule}: full budget up to {@code tinit}, cubic decrease, target budget in the final phase. */
    public Budget budgetSchedule(int step) {
        int total = config.totalStep();
        if (step <= config.tinit()) {
            return new Budget(initBudget, false);
        }
        if (step > total - config.tfinal()) {
            return new Budget(targetBudget, true);
        }
        double mulCoeff = 1 - (step - config.tinit()) / (double) (total - config.tfinal() - config.tinit());
        int budget = (int) ((initBudget - targetBudget) * Math.pow(mulCoeff, 3) + targetBudget);
        return new Budget(budget, step % config.deltaT() == 0);
    }

    /** Updates the smoothed sensitivity and uncertainty of every entry from the current gradients. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void updateImportance() {
        double b1 = config.beta1();
        double b2 = config.beta2();
        try (NoGradGuard g = new NoGradGuard()) {
            int i = 0;
            for (AdaLoraLayer l : layers.values()) {
                Tensor[] params = {l.a(), l.e(), l.b()};
                for (int k = 0; k < 3; k++) {
                    Tensor grad = params[k].grad();
                    if (!grad.defined()) {
                        throw new PeftException("adalora: " + l.base().path() + " has no gradient to rank its triplets by");
                    }
                    Tensor ipt = params[k].mul(grad).abs();
                    Tensor avg = expAvgIpt.get(i)[k];
                    avg.mul_(new Scalar(b1)).add_(ipt, new Scalar(1 - b1));
                    expAvgUnc.get(i)[k].mul_(new Scalar(b2)).add_(ipt.sub(avg).abs(), new Scalar(1 - b2));
                }
                i++;
            }
        }
    }

    /** Each layer's triplet scores: {@code s(E_i) + mean_j s(A_ij) + mean_k s(B_ki)}, {@code s = sensitivity * uncertainty}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public List<float[]> tripletScores() {
        List<float[]> out = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < layers.size(); i++) {
                Tensor[] ipt = expAvgIpt.get(i);
                Tensor[] unc = expAvgUnc.get(i);
                Tensor sa = ipt[0].mul(unc[0]).sum(1).div(new Scalar((double) ipt[0].size(1)));
                Tensor sb = ipt[2].mul(unc[2]).sum(0).div(new Scalar((double) ipt[2].size(0)));
                out.add(HostTensors.toFloats(ipt[1].mul(unc[1]).view(-1).add(sa.add(sb))));
            }
        }
        return out;
    }

    /**
     * HF PEFT's {@code mask_to_budget}: zeroes the singular value of every triplet scoring at or below the
     * {@code (init - budget)}-th smallest score (nothing when the budget is the whole initial budget).
     *
     * @return the rank pattern: per {@code <module>.lora_E}, which triplets were kept
     */
    public Map<String, boolean[]> maskToBudget(int budget) {
        List<float[]> scores = tripletScores();
        int k = initBudget - budget;
        double threshold = Double.NEGATIVE_INFINITY;
        if (k > 0) {
            float[] all = new float[initBudget];
            int n = 0;
            for (float[] s : scores) {
                System.arraycopy(s, 0, all, n, s.length);
                n += s.length;
            }
            Arrays.sort(all);
            threshold = all[Math.min(k, all.length) - 1];
        }
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, AdaLoraLayer> e : layers.entrySet()) {
            float[] s = scores.get(i++);
            boolean[] keep = new boolean[s.length];
            for (int t = 0; t < s.length; t++) {
                keep[t] = !(s[t] <= threshold);
            }
            e.getValue().mask(keep);
            pattern.put(e.getKey() + PATTERN_SUFFIX, keep);
        }
        return pattern;
    }

    /**
     * The allocator's state for a checkpoint: per layer {@code <path>.ipt.<A|E|B>} and
     * {@code <path>.unc.<A|E|B>} (the live smoothed sensitivity and uncertainty), {@code <path>.kept}
     * (the layer's last mask, 1 = kept) once masked, and {@code <path>.final} once the final mask is fixed.
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, AdaLoraLayer> e : layers.entrySet()) {
            for (int k = 0; k < 3; k++) {
                out.put(e.getKey() + ".ipt." + PARTS[k], expAvgIpt.get(i)[k]);
                out.put(e.getKey() + ".unc." + PARTS[k], expAvgUnc.get(i)[k]);
            }
            boolean[] kept = e.getValue().rankPattern();
            if (kept != null) {
                out.put(e.getKey() + ".kept", flags(kept));
            }
            if (finalPattern != null) {
                out.put(e.getKey() + ".final", flags(finalPattern.get(e.getKey() + PATTERN_SUFFIX)));
            }
            i++;
        }
        return out;
    }

    /**
     * Restores a {@link #state()} of the same layers: the smoothed scores, each layer's mask record
     * (the singular values themselves come with the parameters) and the fixed final mask.
     *
     * @throws IllegalArgumentException if a smoothed tensor is missing or of another shape, or a name is unknown
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void loadState(Map<String, Tensor> state) {
        Map<String, Tensor> left = new LinkedHashMap<>(state);
        Map<String, boolean[]> fixed = new LinkedHashMap<>();
        List<boolean[]> kept = new ArrayList<>();
        List<Runnable> copies = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AdaLoraLayer> e : layers.entrySet()) {
            for (int k = 0; k < 3; k++) {
                copies.add(copier(left, e.getKey() + ".ipt." + PARTS[k], expAvgIpt.get(i)[k]));
                copies.add(copier(left, e.getKey() + ".unc." + PARTS[k], expAvgUnc.get(i)[k]));
            }
            int rank = e.getValue().initRank();
            kept.add(pattern(left.remove(e.getKey() + ".kept"), rank, e.getKey()));
            boolean[] f = pattern(left.remove(e.getKey() + ".final"), rank, e.getKey());
            if (f != null) {
                fixed.put(e.getKey() + PATTERN_SUFFIX, f);
            }
            i++;
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("adalora: unknown allocator state " + left.keySet());
        }
        if (!fixed.isEmpty() && fixed.size() != layers.size()) {
            throw new IllegalArgumentException("adalora: the final mask covers " + fixed.size() + " of " + layers.size() + " layers");
        }
        try (NoGradGuard g = new NoGradGuard()) {
            copies.forEach(Runnable::run);
        }
        int j = 0;
        for (AdaLoraLayer l : layers.values()) {
            l.restoreRankPattern(kept.get(j++));
        }
        finalPattern = fixed.isEmpty() ? null : fixed;
    }

    private static Runnable copier(Map<String, Tensor> state, String name, Tensor target) {
        Tensor src = state.remove(name);
        if (src == null) {
            throw new IllegalArgumentException("adalora: allocator state lacks " + name);
        }
        if (!Arrays.equals(HostTensors.shape(src), HostTensors.shape(target))) {
            throw new IllegalArgumentException("adalora: allocator state " + name + " has shape "
                    + Arrays.toString(HostTensors.shape(src)) + ", the layer needs " + Arrays.toString(HostTensors.shape(target)));
        }
        return () -> target.copy_(src);
    }

    private static Tensor flags(boolean[] keep) {
        float[] v = new float[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1f : 0f;
        }
        return HostTensors.floats(v, v.length);
    }

    private static boolean[] pattern(Tensor t, int rank, String layer) {
        if (t == null) {
            return null;
        }
        float[] v = HostTensors.toFloats(t);
        if (v.length != rank) {
            throw new IllegalArgumentException("adalora: " + layer + " mask of " + v.length + " flags for rank " + rank);
        }
        boolean[] keep = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            keep[i] = v[i] != 0f;
        }
        return keep;
    }

    /**
     * HF PEFT's {@code update_and_allocate}, called after the optimizer update of {@code step} while the
     * gradients still exist: before the final phase update the scores and mask on schedule; at step
     * {@code total - tfinal} fix the final mask; afterwards re-apply it.
     *
     * @return the budget in force after this step
     */
    public int updateAndAllocate(int step) {
        int finalStart = config.totalStep() - config.tfinal();
        if (step < finalStart) {
            updateImportance();
            Budget b = budgetSchedule(step);
            if (b.mask()) {
                maskToBudget(b.budget());
            }
            return b.budget();
        }
        if (step == finalStart) {
            Budget b = budgetSchedule(step);
            finalPattern = maskToBudget(b.budget());
            for (int i = 0; i < expAvgIpt.size(); i++) {
                for (int k = 0; k < 3; k++) {
                    expAvgIpt.get(i)[k].zero_();
                    expAvgUnc.get(i)[k].zero_();
                }
            }
            return b.budget();
        }
        for (Map.Entry<String, AdaLoraLayer> e : layers.entrySet()) {
            boolean[] keep = finalPattern != null ? finalPattern.get(e.getKey() + PATTERN_SUFFIX) : e.getValue().rankPattern();
            if (keep != null) {
                e.getValue().mask(keep);
            }
        }
        return targetBudget;
    }
}
