package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.weights.BlockDiagonal;
import org.peftarena.model.LinearModule;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.UnknownModuleException;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;
import org.peftarena.model.Devices;

/**
 * OFT's generator path: {@code R(alpha) = cayley(sqrt(alpha) Q)} per block with the adapter's own
 * Cayley variant and {@code W(alpha) = W0 R_bd(alpha)^T}. Every rotation of every module at every
 * alpha comes from the batched Cayley kernel up front ({@link CayleyRotations}); moving to a point
 * is then one block-rotation of each base weight.
 */
public final class CayleyPath implements InterpolationPath {
    private record Entry(Tensor live, Tensor w0, Tensor rotations) {}

    private final LlamaModel model;
    private final AlphaGrid grid;
    private final List<Entry> entries;
    private final KernelOps kernels;
    private final List<OftModule> modules;
    private final OftConfig config;
    private double finalUpdateNorm = Double.NaN;

    private CayleyPath(LlamaModel model, AlphaGrid grid, List<Entry> entries, KernelOps kernels, List<OftModule> modules,
                       OftConfig config) {
        this.model = model;
        this.grid = grid;
        this.entries = entries;
        this.kernels = kernels;
        this.modules = modules;
        this.config = config;
    }

    /**
     * @param base a float32 decoder with no adapter attached; left at alpha = 0
     * @param adapter an OFT adapter for it
     * @param grid the coefficients
     * @param kernels the Cayley kernel
     * @throws PathException when the adapter is not OFT or does not fit the model
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static CayleyPath fromAdapter(LlamaModel base, AdapterCheckpoint adapter, AlphaGrid grid, KernelOps kernels) {
        if (base.dtype() != ModelDType.FLOAT32) {
            throw new PathException("paths are computed on float32 models; the base model holds " + base.dtype());
        }
        OftConfig config = OftGenerators.config(adapter);
        List<OftModule> modules = OftGenerators.read(adapter);
        List<Tensor> live = new ArrayList<>();
        for (OftModule m : modules) {
            LinearModule linear;
            try {
                linear = base.linears().module(m.path());
            } catch (UnknownModuleException e) {
                throw new PathException("adapter module " + m.path() + " is not a linear layer of the base model");
            }
            if (linear.weight().size(1) != m.in()) {
                throw new PathException(m.path() + ": " + m.blocks() + " blocks of " + m.blockSize() + " do not cover its "
                        + linear.weight().size(1) + " inputs");
            }
            live.add(linear.weight());
        }
        List<Tensor> rotations = CayleyRotations.compute(kernels, modules, CayleyRotations.sqrtScales(grid),
                config.variant());
        List<Entry> entries = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < modules.size(); i++) {
                // the rotations come from the Cayley kernel in host memory; they are applied where the weights are
                Tensor r = Devices.on(live.get(i).device(), rotations.get(i)).contiguous();
                entries.add(new Entry(live.get(i), live.get(i).detach().clone().contiguous(), r));
            }
        }
        return new CayleyPath(base, grid, entries, kernels, modules, config);
    }

    /**
     * The rotations of module {@code module} (adapter order) at grid position {@code index}.
     *
     * @return float32 {@code [blocks, b, b]}
     */
    public Tensor rotations(int module, int index) {
        return entries.get(module).rotations().select(0, index);
    }

    /**
     * Measured, not assumed: on the Cayley path the update {@code W0 (R(alpha)^T - I)} grows like the
     * generator scale {@code sqrt(alpha)} for small rotations, not like alpha.
     */
    @Override
    public double updateScale(int index) {
        if (Double.isNaN(finalUpdateNorm)) {
            int one = grid.indexOf(1.0);
            List<Tensor> r = one >= 0 ? null
                    : CayleyRotations.compute(kernels, modules, new double[] {1.0}, config.variant());
            finalUpdateNorm = updateNorm(m -> one >= 0 ? rotations(m, one) : r.get(m).select(0, 0));
        }
        double norm = updateNorm(m -> rotations(m, index));
        return finalUpdateNorm > 0 ? norm / finalUpdateNorm : Double.NaN;
    }

    /** {@code normF} of {@code W0 R_bd^T - W0} over every module, in double. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private double updateNorm(java.util.function.IntFunction<Tensor> rotationsOf) {
        double sumSq = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            for (int m = 0; m < entries.size(); m++) {
                Tensor w0 = entries.get(m).w0();
                double n = BlockDiagonal.timesRight(w0, rotationsOf.apply(m), true).sub(w0)
                        .to(org.bytedeco.pytorch.global.torch.ScalarType.Double).norm().item_double();
                sumSq += n * n;
            }
        }
        return Math.sqrt(sumSq);
    }

    @Override
    public PathKind kind() {
        return PathKind.CAYLEY;
    }

    @Override
    public AlphaGrid grid() {
        return grid;
    }

    @Override
    public LlamaModel model() {
        return model;
    }

    /**
     * Writes {@code W0 R_bd^T} into each live weight: on the CPU straight into it with the block-rotation kernel,
     * on another device through {@link BlockDiagonal#timesRight} there.
     */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void moveTo(int index) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Entry e : entries) {
                Tensor r = e.rotations().select(0, index);                 // [blocks, b, b], contiguous
                int b = Math.toIntExact(r.size(1));
                long out = e.w0().size(0);
                long in = e.w0().size(1);
                if (b <= CayleyRotations.MAX_KERNEL_BLOCK && e.live().is_contiguous() && e.live().device().is_cpu()) {
                    kernels.blockRotate(e.w0().data_ptr().address(), out, in, in, r.data_ptr().address(), b, true,
                            e.live().data_ptr().address(), in);
                } else {
                    e.live().copy_(BlockDiagonal.timesRight(e.w0(), r, true));
                }
            }
        }
    }

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void close() {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Entry e : entries) {
                e.live().copy_(e.w0());
            }
        }
    }
}
