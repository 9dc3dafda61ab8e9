package org.peftarena.peft;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Creates adapter parameters as float32 leaf tensors; random ones come from a Java generator seeded
 * per module, so initialisation does not depend on creation order or on LibTorch's global RNG.
 */
public final class ParameterInit {
    private ParameterInit() {}

    /** A seed for one module's initialisation derived from the run seed and the module path. */
    public static long moduleSeed(long seed, String path) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < path.length(); i++) {
            h = (h ^ path.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** A trainable float32 tensor of zeros. */
    public static Tensor zeros(long... shape) {
        return trainable(torch.zeros(shape, new TensorOptions(torch.ScalarType.Float)));
    }

    /** A trainable float32 tensor filled with {@code value}. */
    public static Tensor filled(double value, long... shape) {
        return trainable(torch.full(shape, new org.bytedeco.pytorch.Scalar(value), new TensorOptions(torch.ScalarType.Float)));
    }

    /** A trainable float32 tensor, uniform in {@code [-bound, bound)}. */
    public static Tensor uniform(SplittableRandom rng, double bound, long... shape) {
        return trainable(uniformFrozen(rng, bound, shape));
    }

    /** A frozen float32 tensor, uniform in {@code [-bound, bound)}. */
    public static Tensor uniformFrozen(SplittableRandom rng, double bound, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return org.peftarena.model.HostTensors.floats(v, shape);
    }

    /** HF PEFT's LoRA A initialisation: Kaiming-uniform with {@code a = sqrt(5)}, i.e. bound {@code 1/sqrt(fan_in)}. */
    public static Tensor kaimingUniform(SplittableRandom rng, long... shape) {
        return uniform(rng, 1.0 / Math.sqrt((double) shape[shape.length - 1]), shape);
    }

    /** Marks a fresh tensor as a trainable leaf. */
    public static Tensor trainable(Tensor t) {
        t.set_requires_grad(true);
        return t;
    }
}
