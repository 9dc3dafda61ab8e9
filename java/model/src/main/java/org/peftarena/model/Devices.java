package org.peftarena.model;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live: the model's device (its weights'), moves onto it, and the checks that keep
 * host-memory code (Java arrays, our CPU kernels) away from device memory.
 */
public final class Devices {
    private Devices() {
    }

    /** The CPU. */
    public static Device cpu() {
        return new Device(torch.DeviceType.CPU);
    }

    /**
     * A LibTorch device by name: {@code cpu}, {@code cuda}, {@code cuda:1}, {@code meta}...
     *
     * @throws IllegalArgumentException with LibTorch's reason when the name is not a device
     */
    public static Device parse(String name) {
        try {
            return new Device(name);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("not a device: '" + name + "' (" + reason + ")", e);
        }
    }

    /** The device's name as LibTorch writes it ({@code cpu}, {@code cuda:0}). */
    public static String name(Device d) {
        return d.str().getString();
    }

    /** The tensor on {@code device} in its own dtype: itself when it is there already, else a copy. */
    public static Tensor on(Device device, Tensor t) {
        return t.to(device, t.scalar_type().intern());
    }

    /** Options for tensors of {@code type} on {@code device}. */
    public static TensorOptions options(torch.ScalarType type, Device device) {
        return new TensorOptions(type).device(new org.bytedeco.pytorch.DeviceOptional(device));
    }

    /**
     * @throws IllegalArgumentException naming {@code what} when the tensor is not in host memory, where
     *         Java arrays and our CPU kernels can read it
     */
    public static void requireCpu(String what, Tensor t) {
        if (!t.device().is_cpu()) {
            throw new IllegalArgumentException(what + " must be a CPU tensor, got one on " + name(t.device()));
        }
    }
}
