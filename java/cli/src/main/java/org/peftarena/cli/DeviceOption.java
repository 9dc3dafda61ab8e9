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
 * when the GPU path is unavailable ({@link #requireForModel}).
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
     * The device once it is known to be usable, else a one-line usage error saying why.
     */
    Device requireForModel(CommandSpec spec) {
        Device d = parse(device, spec.commandLine());
        return d.cuda() ? requireUsable(d, GpuPath.detect(), spec.commandLine()) : d;
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
