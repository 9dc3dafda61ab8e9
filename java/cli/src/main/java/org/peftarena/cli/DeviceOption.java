package org.peftarena.cli;

import java.util.Locale;
import org.peftarena.model.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --device cpu|cuda[:i]} for the commands that run the model. {@code cpu} (the default)
 * changes nothing. {@code cuda} is checked through {@link GpuPath} (our library's probe first, so
 * nothing is loaded that a machine without a driver cannot load) and refused with the reason
 * when the GPU path is unavailable. The commands of {@link #ON_DEVICE} run the model there
 * ({@link #requireForModel}); the other commands refuse CUDA as not implemented ({@link #require}).
 */
final class DeviceOption {
    /** A parsed device: CPU, or CUDA device {@code index}. */
    record Device(boolean cuda, int index) {
        static final Device CPU = new Device(false, 0);

        @Override
        public String toString() {
            return cuda ? "cuda:" + index : "cpu";
        }

        /** The LibTorch device (CUDA devices are only made once the GPU path is known to be available). */
        org.bytedeco.pytorch.Device torch() {
            return Devices.parse(toString());
        }
    }

    /** The commands that run the model on a CUDA device. */
    static final String ON_DEVICE = "train, arena, generate, interpolate, rewind, analyze activations and analyze drift";

    @Option(names = "--device", paramLabel = "cpu|cuda[:i]", defaultValue = "cpu",
            description = "Where the model, adapters and optimizer run: cpu (default) or cuda[:i].")
    String device = "cpu";

    /** Parses {@code --device}; a malformed value is a usage error. */
    static Device parse(String value, CommandLine cmd) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return Device.CPU;
        }
        if (v.equals("cuda")) {
            return new Device(true, 0);
        }
        if (v.matches("cuda:[0-9]{1,4}")) {
            return new Device(true, Integer.parseInt(v.substring("cuda:".length())));
        }
        throw new ParameterException(cmd, "--device must be cpu, cuda or cuda:<index>, got '" + value + "'");
    }

    /**
     * For commands whose model does not run on CUDA yet: the CPU, or a one-line usage error (the GPU
     * path's reason when it is unavailable, else "not implemented" for this command).
     */
    Device require(CommandSpec spec) {
        Device d = parse(device, spec.commandLine());
        return d.cuda() ? check(d, GpuPath.detect(), spec.commandLine()) : d;
    }

    /**
     * For commands that run the model on the requested device ({@value #ON_DEVICE}): the device once it
     * is known to be usable, else a one-line usage error saying why.
     */
    Device requireForModel(CommandSpec spec) {
        Device d = parse(device, spec.commandLine());
        return d.cuda() ? requireUsable(d, GpuPath.detect(), spec.commandLine()) : d;
    }

    /** Checks a CUDA request against the GPU path's state: refused for a command whose model does not run on CUDA yet. */
    static Device check(Device d, GpuPath gpu, CommandLine cmd) {
        requireUsable(d, gpu, cmd);
        String name = cmd.getCommandSpec().qualifiedName(" ");
        name = name.substring(name.indexOf(' ') + 1); // without the program's name
        throw new ParameterException(cmd, "--device " + d + ": " + name + " does not run the model on CUDA in this"
                + " version (" + ON_DEVICE + " do; the GPU path is available: " + gpu.probe().firstDevice()
                + "); use --device cpu");
    }

    /** The CUDA device, when the GPU path is available and has it; otherwise a one-line usage error saying why. */
    static Device requireUsable(Device d, GpuPath gpu, CommandLine cmd) {
        if (!gpu.available()) {
            throw new ParameterException(cmd, "CUDA not available: " + gpu.reason());
        }
        if (d.index() >= gpu.probe().devices()) {
            throw new ParameterException(cmd, "CUDA device " + d.index() + " not available: this machine has "
                    + gpu.probe().devices() + " CUDA device(s)");
        }
        return d;
    }
}
