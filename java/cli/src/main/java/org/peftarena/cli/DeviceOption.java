package org.peftarena.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --device cpu|cuda[:i]} for the commands that run the model. {@code cpu} (the default)
 * changes nothing. {@code cuda} is checked through {@link GpuPath} (our library's probe first, so
 * nothing is loaded that a machine without a driver cannot load) and refused with the reason
 * when the GPU path is unavailable.
 */
final class DeviceOption {
    /** A parsed device: CPU, or CUDA device {@code index}. */
    record Device(boolean cuda, int index) {
        static final Device CPU = new Device(false, 0);

        @Override
        public String toString() {
            return cuda ? "cuda:" + index : "cpu";
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

    /** The requested device, once it is known to be usable; otherwise a one-line usage error. */
    Device require(CommandSpec spec) {
        Device d = parse(device, spec.commandLine());
        return d.cuda() ? check(d, GpuPath.detect(), spec.commandLine()) : d;
    }

    /** Checks a CUDA request against the GPU path's state: refused for the model, which does not run on CUDA yet. */
    static Device check(Device d, GpuPath gpu, CommandLine cmd) {
        requireUsable(d, gpu, cmd);
        throw new ParameterException(cmd, "--device " + d + ": running the model on CUDA is not implemented in this"
                + " version (the GPU path is available: " + gpu.probe().firstDevice() + "); use --device cpu");
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
