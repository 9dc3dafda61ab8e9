package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;

/**
 * The block rotations of OFT modules at many generator scales, computed by the batched Cayley
 * kernel on one stacked batch {@code [modules x scales x blocks]} per block size (split into
 * several calls only above a memory bound), instead of one transform per scale.
 */
public final class CayleyRotations {
    /** Largest block size the native kernel takes. */
    public static final int MAX_KERNEL_BLOCK = KernelLimits.CAYLEY_MAX_BLOCK;
    /** Default bound on the rotations one kernel call writes, in float32 elements (256 MiB). */
    public static final long DEFAULT_MAX_CALL_ELEMENTS = 1L << 26;

    private CayleyRotations() {}

    /**
     * Rotations of every module at every scale.
     *
     * @param kernels the kernels (any backend; inputs and outputs live in host memory)
     * @param modules the OFT modules
     * @param scales factors applied to each module's generator, e.g. {@code sqrt(alpha)}; finite
     * @param variant the adapter's Cayley variant
     * @param maxCallElements bound on {@code batch * b * b} per kernel call, >= one module's rotations at one scale
     * @return per module, float32 {@code [scales, blocks, b, b]}
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static List<Tensor> compute(KernelOps kernels, List<OftModule> modules, double[] scales, CayleyVariant variant,
                                       long maxCallElements) {
        for (double s : scales) {
            if (!Double.isFinite(s)) {
                throw new PathException("generator scale " + s + " is not finite");
            }
        }
        Map<Integer, List<Integer>> byBlockSize = new LinkedHashMap<>();
        for (int m = 0; m < modules.size(); m++) {
            byBlockSize.computeIfAbsent(modules.get(m).blockSize(), k -> new ArrayList<>()).add(m);
        }
        Tensor[] out = new Tensor[modules.size()];
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<Integer, List<Integer>> group : byBlockSize.entrySet()) {
                int b = group.getKey();
                List<Integer> members = group.getValue();
                int from = 0;
                while (from < members.size()) {
                    int to = from;
                    long elements = 0;
                    while (to < members.size()) {
                        long next = (long) scales.length * modules.get(members.get(to)).blocks() * b * b;
                        if (to > from && elements + next > maxCallElements) {
                            break;
                        }
                        elements += next;
                        to++;
                    }
                    rotateGroup(kernels, modules, members.subList(from, to), scales, variant, b, out);
                    from = to;
                }
            }
        }
        return List.of(out);
    }

    /** {@link #compute} with {@link #DEFAULT_MAX_CALL_ELEMENTS}. */
    public static List<Tensor> compute(KernelOps kernels, List<OftModule> modules, double[] scales, CayleyVariant variant) {
        return compute(kernels, modules, scales, variant, DEFAULT_MAX_CALL_ELEMENTS);
    }

    /** Scales {@code sqrt(alpha)} of a grid: the Cayley path's generator factors. */
    public static double[] sqrtScales(AlphaGrid grid) {
        double[] s = new double[grid.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = generatorScale(grid.get(i));
        }
        return s;
    }

    /**
     * The factor the Cayley path applies to each OFT generator at a path coefficient:
     * {@code R(alpha) = cayley(sqrt(alpha) Q)}, so the generator scale is {@code sqrt(alpha)}.
     *
     * @param alpha the path coefficient, >= 0
     */
    public static double generatorScale(double alpha) {
        return Math.sqrt(alpha);
    }

    /**
     * The Cayley-path coefficient at which the generators are scaled by {@code scale} (the inverse of
     * {@link #generatorScale}): rewinding OFT generators by 0.4 is the Cayley path at alpha 0.16.
     *
     * @param scale the factor applied to every generator, >= 0
     */
    public static double pathAlpha(double scale) {
        return scale * scale;
    }

    private static void rotateGroup(KernelOps kernels, List<OftModule> modules, List<Integer> members, double[] scales,
                                    CayleyVariant variant, int b, Tensor[] out) {
        long batch = 0;
        for (int m : members) {
            batch += (long) scales.length * modules.get(m).blocks();
        }
        Tensor q = torch.empty(new long[] {batch, (long) b * (b - 1) / 2}, new TensorOptions(torch.ScalarType.Float), null);
        long row = 0;
        for (int m : members) {
            Tensor packed = modules.get(m).packed();
            for (double s : scales) {
                q.narrow(0, row, packed.size(0)).copy_(packed).mul_(new Scalar(s));   // [module][scale][block] order
                row += packed.size(0);
            }
        }
        Tensor r;
        if (b >= 2 && b <= MAX_KERNEL_BLOCK) {
            r = torch.empty(new long[] {batch, b, b}, new TensorOptions(torch.ScalarType.Float), null);
            kernels.cayley(q.data_ptr().address(), batch, b, variant, 1f, r.data_ptr().address());
        } else {
            r = LibTorchCayley.rotations(q, b, variant);
        }
        long offset = 0;
        for (int m : members) {
            long n = (long) scales.length * modules.get(m).blocks();
            out[m] = r.narrow(0, offset, n).view(scales.length, modules.get(m).blocks(), b, b);
            offset += n;
        }
    }
}
