package org.peftarena.analysis.rewind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.interp.AdapterScaling;
import org.peftarena.analysis.interp.CayleyRotations;
import org.peftarena.analysis.interp.OftGenerators;
import org.peftarena.analysis.interp.OftModule;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;
import org.peftarena.peft.oft.OftMethod;

/**
 * Post-hoc rewinding without retraining: scales each block's OFT generators {@code Q_l <- alpha_l Q_l}
 * (or by {@code sqrt(alpha_l)}), with {@code alpha_l = min(1, rho* / rho_l)} for the layer-wise
 * strategies and one alpha for the uniform one. Uniform rewinding also applies to adapters that
 * {@link AdapterScaling} can scale (their update becomes {@code alpha dW}).
 */
public final class Rewinder {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Rewinder.class);

    private Rewinder() {}

    /**
     * The factors of a recipe for an adapter.
     *
     * @param adapter the finetuned adapter
     * @param options the recipe
     * @param kernels the Cayley kernel (for {@link RotationStrength#FRO_R_MINUS_I})
     * @throws PathException for a layer-wise strategy on a non-OFT adapter, or a uniform one on an adapter that cannot be scaled
     */
    public static RewindPlan plan(AdapterCheckpoint adapter, RewindOptions options, KernelOps kernels) {
        PeftMethod method = adapter.config().method();
        if (!OftMethod.ID.equals(method)) {
            if (options.strategy().layerWise()) {
                throw new PathException(options.strategy().cliName() + " rewinding needs an OFT adapter, not " + method.cliName());
            }
            if (!AdapterScaling.supports(method)) {
                throw new PathException(method.cliName() + " adapters cannot be rewound by scaling");
            }
            NavigableMap<Integer, Integer> counts = modulesPerLayer(adapter);
            return uniformPlan(options, counts, null, counts.isEmpty() ? 0 : counts.lastKey() + 1);
        }
        List<OftModule> modules = OftGenerators.read(adapter);
        double[] strength = moduleStrengths(modules, options.strength(), OftGenerators.config(adapter), kernels);
        TreeMap<Integer, double[]> perLayer = new TreeMap<>();   // layer -> {sum of rho, modules}
        for (int m = 0; m < modules.size(); m++) {
            double[] acc = perLayer.computeIfAbsent(modules.get(m).layer(), k -> new double[2]);
            acc[0] += strength[m];
            acc[1] += 1;
        }
        TreeMap<Integer, Double> rho = new TreeMap<>();
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        perLayer.forEach((l, acc) -> {
            rho.put(l, acc[0] / acc[1]);
            counts.put(l, (int) acc[1]);
        });
        int depth = rho.lastKey() + 1;
        if (options.strategy() == RewindStrategy.UNIFORM) {
            return uniformPlan(options, counts, rho, depth);
        }
        double rhoStar = rhoStar(options, rho, depth);
        List<LayerFactor> layers = new ArrayList<>();
        rho.forEach((l, r) -> {
            double a = r > 0 ? Math.min(1.0, rhoStar / r) : 1.0;
            layers.add(new LayerFactor(l, counts.get(l), r, a, options.sqrt() ? Math.sqrt(a) : a));
        });
        boolean safe = options.strategy() == RewindStrategy.SAFE_RHO;
        int reference = safe ? SafeRhoReference.layers(options.referenceFraction(), depth) : 0;
        String warning = safe ? SafeRhoReference.warning(options.referenceFraction(), depth) : null;
        if (warning != null) {
            LOG.warn(warning);
        }
        return new RewindPlan(options, rhoStar, layers, depth, reference, warning, true);
    }

    /**
     * {@code rho*}: SafeRho averages the blocks among the leading {@link SafeRhoReference#layers} of the
     * depth (the first adapted block when none of them is adapted), MinRho takes the minimum.
     */
    static double rhoStar(RewindOptions options, NavigableMap<Integer, Double> rho, int depth) {
        if (options.strategy() == RewindStrategy.MIN_RHO) {
            return rho.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }
        int reference = SafeRhoReference.layers(options.referenceFraction(), depth);
        NavigableMap<Integer, Double> leading = rho.headMap(reference, false);
        return (leading.isEmpty() ? rho.headMap(rho.firstKey(), true) : leading).values().stream()
                .mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static RewindPlan uniformPlan(RewindOptions options, NavigableMap<Integer, Integer> counts,
                                          NavigableMap<Integer, Double> rho, int depth) {
        double factor = options.sqrt() ? Math.sqrt(options.alpha()) : options.alpha();
        List<LayerFactor> layers = new ArrayList<>();
        counts.forEach((l, n) -> layers.add(new LayerFactor(l, n, rho == null ? Double.NaN : rho.get(l), options.alpha(), factor)));
        return new RewindPlan(options, Double.NaN, layers, depth, 0, null, rho != null);
    }

    /**
     * The rotation strength of each module.
     *
     * @param modules OFT modules
     * @param strength the measure
     * @param config the adapter's configuration (its Cayley variant)
     * @param kernels the Cayley kernel
     * @return one value per module, in order
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static double[] moduleStrengths(List<OftModule> modules, RotationStrength strength, OftConfig config,
                                           KernelOps kernels) {
        double[] out = new double[modules.size()];
        try (NoGradGuard g = new NoGradGuard()) {
            if (strength == RotationStrength.FRO_Q) {
                for (int m = 0; m < out.length; m++) {
                    // Q = Mq - Mq^T holds every packed entry twice (once negated)
                    double packedNorm = modules.get(m).packed().to(torch.ScalarType.Double).norm().item_double();
                    out[m] = Math.sqrt(2.0) * packedNorm / Math.sqrt(modules.get(m).blocks());
                }
            } else {
                List<Tensor> r = CayleyRotations.compute(kernels, modules, new double[] {1.0}, config.variant());
                for (int m = 0; m < out.length; m++) {
                    Tensor blocks = r.get(m).select(0, 0).to(torch.ScalarType.Double);
                    Tensor eye = torch.eye(blocks.size(1)).to(torch.ScalarType.Double).unsqueeze(0);
                    out[m] = blocks.sub(eye).norm().item_double();
                }
            }
        }
        return out;
    }

    /**
     * The rewound adapter: same configuration and targets, scaled tensors.
     *
     * @param adapter the finetuned adapter (not modified)
     * @param plan factors from {@link #plan}
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static AdapterCheckpoint apply(AdapterCheckpoint adapter, RewindPlan plan) {
        PeftMethod method = adapter.config().method();
        if (!OftMethod.ID.equals(method)) {
            double factor = plan.layers().isEmpty() ? plan.options().alpha() : plan.layers().get(0).factor();
            return new AdapterCheckpoint(adapter.config(), adapter.targets(),
                    AdapterScaling.scale(method, adapter.tensors(), factor), adapter.baseModel());
        }
        Map<String, Tensor> out = new LinkedHashMap<>(adapter.tensors());
        try (NoGradGuard g = new NoGradGuard()) {
            for (OftModule m : OftGenerators.read(adapter)) {
                out.put(m.key(), m.packed().mul(new Scalar(plan.factor(m.layer()))));
            }
        }
        return new AdapterCheckpoint(adapter.config(), adapter.targets(), out, adapter.baseModel());
    }

    private static NavigableMap<Integer, Integer> modulesPerLayer(AdapterCheckpoint adapter) {
        String suffix = AdapterScaling.scaledSuffix(adapter.config().method());
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (String key : adapter.tensors().keySet()) {
            Matcher m = LAYER.matcher(key);
            if (key.endsWith(suffix) && m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
