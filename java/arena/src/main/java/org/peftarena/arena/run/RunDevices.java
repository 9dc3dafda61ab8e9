package org.peftarena.arena.run;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.model.Devices;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;

/**
 * Where a run's models run: the CPU, or for a run planned on CUDA ({@link RunSpec#onCuda()}) the first CUDA
 * device LibTorch sees (a Slurm allocation's GPU, or the one {@code CUDA_VISIBLE_DEVICES} names). Training,
 * evaluation, the trajectory and the post-hoc paths load their models through here; the geometry diagnostics
 * read weights and activations on the CPU.
 */
public final class RunDevices {
    private RunDevices() {
    }

    /**
     * The run's device.
     *
     * @throws IllegalStateException for a CUDA run where LibTorch has no CUDA device (its CPU build, or no GPU)
     */
    public static Device of(RunSpec spec) {
        if (!spec.onCuda()) {
            return Devices.cpu();
        }
        if (!torch.cuda_is_available()) {
            throw new IllegalStateException("run " + spec.id() + " was planned on CUDA, but LibTorch here has no CUDA"
                    + " device (a CPU build, or no GPU on this machine): run it where the GPU distribution (-Pgpu) sees a"
                    + " GPU, or plan the arena with --device cpu (other run ids)");
        }
        return Devices.parse("cuda:0");
    }

    /** The backend a result records: {@code cpu} or {@code cuda}. */
    public static String backend(RunSpec spec) {
        return spec.onCuda() ? RunSpec.CUDA : RuntimeInfo.CPU_BACKEND;
    }

    /** A float32 model directory loaded onto the run's device (the device is checked before the files are read). */
    public static LlamaModel load(Path dir, RunSpec spec) throws IOException {
        Device device = of(spec);
        return HfModelDirectory.load(dir, ModelDType.FLOAT32).moveTo(device);
    }
}
