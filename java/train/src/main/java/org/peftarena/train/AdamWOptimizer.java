package org.peftarena.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OptimizerParamGroup;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * LibTorch's AdamW over a list of trainable tensors, in two parameter groups: matrices with the
 * configured weight decay, vectors (norm weights, biases) without.
 */
public final class AdamWOptimizer implements AutoCloseable {
    private final AdamW adamW;
    private final List<Tensor> parameters;
    private final AdamWConfig config;

    /**
     * @param parameters trainable leaf tensors (requires_grad set), any shapes, float dtypes
     * @param config     hyper-parameters
     */
    public AdamWOptimizer(List<Tensor> parameters, AdamWConfig config) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters");
        }
        this.parameters = List.copyOf(parameters);
        this.config = config;
        List<Tensor> decay = new ArrayList<>();
        List<Tensor> noDecay = new ArrayList<>();
        for (Tensor p : parameters) {
            if (!p.requires_grad()) {
                throw new IllegalArgumentException("parameter does not require grad: " + p.sizes().vec());
            }
            (p.dim() >= 2 ? decay : noDecay).add(p);
        }
        List<Tensor> first = decay.isEmpty() ? noDecay : decay;
        adamW = new AdamW(new TensorVector(first.toArray(new Tensor[0])),
                options(config, first == decay ? config.weightDecay() : 0.0));
        if (first == decay && !noDecay.isEmpty()) {
            adamW.add_param_group(new OptimizerParamGroup(new TensorVector(noDecay.toArray(new Tensor[0])),
                    options(config, 0.0)));
        }
    }

    private static AdamWOptions options(AdamWConfig c, double weightDecay) {
        AdamWOptions o = new AdamWOptions(c.learningRate());
        // betas is a std::tuple<double, double>; libstdc++ lays tuples out last element first
        o.betas().put(0, c.beta2()).put(1, c.beta1());
        o.eps().put(c.epsilon());
        o.weight_decay().put(weightDecay);
        return o;
    }

    /** The tensors this optimizer updates. */
    public List<Tensor> parameters() {
        return parameters;
    }

    /** The hyper-parameters it was built with. */
    public AdamWConfig config() {
        return config;
    }

    /** Sets the learning rate of every parameter group for the next step. */
    public void setLearningRate(double lr) {
        OptimizerParamGroupVector groups = adamW.param_groups();
        for (long i = 0; i < groups.size(); i++) {
            groups.get(i).options().set_lr(lr);
        }
    }

    /** Applies one update from the accumulated gradients. */
    public void step() {
        adamW.step();
    }

    /** Clears (frees) the accumulated gradients. */
    public void zeroGrad() {
        adamW.zero_grad(true);
    }

    /**
     * The optimizer's state (every parameter's moments and step count, the groups' settings) in
     * LibTorch's archive format, for a checkpoint.
     *
     * @throws IOException if the temporary file LibTorch writes through cannot be used
     */
    public byte[] saveState() throws IOException {
        Path tmp = Files.createTempFile("adamw-state", ".pt");
        try (OutputArchive archive = new OutputArchive()) {
            adamW.save(archive);
            archive.save_to(tmp.toString());
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Restores a state {@link #saveState()} wrote for the same parameters in the same order (the
     * archive matches parameters by position; the caller checks names and shapes).
     *
     * @throws IllegalArgumentException if LibTorch cannot read the archive
     */
    public void loadState(byte[] state) {
        try (BytePointer data = new BytePointer(state); InputArchive archive = new InputArchive()) {
            // onto the parameters' device, so a run resumes on another device than it was saved from
            archive.load_from(data, state.length, new org.bytedeco.pytorch.DeviceOptional(parameters.get(0).device()));
            adamW.load(archive);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable optimizer state: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        adamW.close();
    }
}
