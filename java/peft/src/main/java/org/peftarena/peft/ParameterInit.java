package org.peftarena.peft;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;

/**
 * Creates adapter parameters as float32 leaf tensors on a given device (the base layer's, {@link
 * BaseLinear#device()}); random ones come from a Java generator seeded per module, so initialisation
 * does not depend on creation order, on LibTorch's global RNG or on the device.
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

    /** Options for float32 tensors on {@code device}. */
    public static TensorOptions floats(Device device) {
        return Devices.options(torch.ScalarType.Float, device);
    }

    /** A trainable float32 tensor of zeros on {@code device}. */
    public static Tensor zeros(Device device, long... shape) {
        return trainable(torch.zeros(shape, floats(device)));
    }

    /** A trainable float32 tensor filled with {@code value} on {@code device}. */
    public static Tensor filled(Device device, double value, long... shape) {
        return trainable(torch.full(shape, new org.bytedeco.pytorch.Scalar(value), floats(device)));
    }

    /** A trainable float32 tensor on {@code device}, uniform in {@code [-bound, bound)}. */
    public static Tensor uniform(Device device, SplittableRandom rng, double bound, long... shape) {
        return trainable(uniformFrozen(device, rng, bound, shape));
    }

    /** A frozen float32 tensor on {@code device}, uniform in {@code [-bound, bound)}. */
    public static Tensor uniformFrozen(Device device, SplittableRandom rng, double bound, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return Devices.on(device, HostTensors.floats(v, shape));
    }

    /** HF PEFT's LoRA A initialisation: Kaiming-uniform with {@code a = sqrt(5)}, i.e. bound {@code 1/sqrt(fan_in)}. */
    public static Tensor kaimingUniform(Device device, SplittableRandom rng, long... shape) {
        return uniform(device, rng, 1.0 / Math.sqrt((double) shape[shape.length - 1]), shape);
    }

    /** Marks a fresh tensor as a trainable leaf. */
    public static Tensor trainable(Tensor t) {
        t.set_requires_grad(true);
        return t;
    }
}
