package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.kernels.CudaProbe;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class DeviceOptionTest {
    private static final CommandLine CMD = Main.commandLine();

    @Test
    void everyModelCommandTakesTheOption() {
        List<CommandLine> commands = List.of(CMD.getSubcommands().get("train"), CMD.getSubcommands().get("arena"),
                CMD.getSubcommands().get("interpolate"), CMD.getSubcommands().get("rewind"),
                CMD.getSubcommands().get("generate"), CMD.getSubcommands().get("analyze").getSubcommands().get("weights"),
                CMD.getSubcommands().get("analyze").getSubcommands().get("activations"),
                CMD.getSubcommands().get("analyze").getSubcommands().get("drift"));
        for (CommandLine c : commands) {
            assertNotNull(c.getCommandSpec().findOption("--device"), c.getCommandName() + " lacks --device");
            assertEquals("cpu", c.getCommandSpec().findOption("--device").defaultValue());
        }
    }

    @Test
    void valuesParse() {
        assertEquals(DeviceOption.Device.CPU, DeviceOption.parse("cpu", CMD));
        assertEquals(new DeviceOption.Device(true, 0), DeviceOption.parse("cuda", CMD));
        assertEquals(new DeviceOption.Device(true, 3), DeviceOption.parse("CUDA:3", CMD));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", ""}) {
            ParameterException e = assertThrows(ParameterException.class, () -> DeviceOption.parse(bad, CMD));
            assertTrue(e.getMessage().contains("--device must be cpu, cuda or cuda:<index>"), e.getMessage());
        }
    }

    @Test
    void cudaIsRefusedWithTheReasonOnThisMachine(@TempDir Path tmp) throws Exception {
        Path model = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("m")));
        GpuPath here = GpuPath.detect();
        CliRunner r = CliRunner.run("generate", model.toString(), "--prompt", "1+1=", "--max-new-tokens", "2",
                "--device", "cuda");
        if (!here.available()) {
            assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
            // a usage error like every other: its line first, then the command's usage
            assertTrue(r.err().startsWith("CUDA not available: " + here.reason() + System.lineSeparator()), r.err());
        }
        CliRunner train = CliRunner.run("train", "--base", model.toString(), "--method", "lora", "--data", "builtin:addition",
                "--steps", "1", "--out", tmp.resolve("run").toString(), "--device", "cuda:0");
        if (!here.available()) {
            assertEquals(Main.EXIT_USAGE, train.exitCode(), train.err());
            assertTrue(train.err().startsWith("CUDA not available: " + here.reason() + System.lineSeparator()), train.err());
            assertTrue(Files.notExists(tmp.resolve("run")), "nothing is written");
        }
        r = CliRunner.run("generate", model.toString(), "--prompt", "1+1=", "--max-new-tokens", "2", "--device", "tpu");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("--device must be cpu, cuda or cuda:<index>, got 'tpu'"), r.err());
        // cpu is the default and changes nothing
        CliRunner cpu = CliRunner.run("generate", model.toString(), "--prompt", "1+1=", "--max-new-tokens", "2",
                "--device", "cpu");
        CliRunner plain = CliRunner.run("generate", model.toString(), "--prompt", "1+1=", "--max-new-tokens", "2");
        assertEquals(0, cpu.exitCode(), cpu.err());
        assertEquals(plain.out(), cpu.out());
    }

    @Test
    void everyModelCommandChecksCudaBeforeItReadsItsInputs(@TempDir Path tmp) {
        GpuPath here = GpuPath.detect();
        if (here.available()) {
            return; // the refusal below is for machines without the GPU path (every CI run)
        }
        String missing = tmp.resolve("missing").toString();
        List<List<String>> commands = List.of(
                List.of("train", "--base", missing, "--method", "lora", "--data", "builtin:addition", "--out",
                        tmp.resolve("t").toString()),
                List.of("generate", missing, "--prompt", "1+1="),
                List.of("arena", "--workdir", tmp.resolve("w").toString(), "--no-progress"),
                List.of("interpolate", "--base", missing, "--adapter", missing, "--alphas", "0,1"),
                List.of("rewind", "--base", missing, "--adapter", missing, "--strategy", "uniform", "--out",
                        tmp.resolve("r").toString()),
                List.of("analyze", "weights", "--base", missing, "--tuned", missing),
                List.of("analyze", "activations", "--x0", missing, "--x1", missing),
                List.of("analyze", "drift", "--base", missing, "--tuned", missing, "--general", missing, "--target", missing));
        for (List<String> c : commands) {
            List<String> args = new java.util.ArrayList<>(c);
            args.add("--device");
            args.add("cuda");
            CliRunner r = CliRunner.run(args.toArray(new String[0]));
            assertEquals(Main.EXIT_USAGE, r.exitCode(), c + ": " + r.err());
            assertTrue(r.err().startsWith("CUDA not available: " + here.reason() + System.lineSeparator()), c + ": " + r.err());
        }
        assertTrue(Files.notExists(tmp.resolve("t")) && Files.notExists(tmp.resolve("w")) && Files.notExists(tmp.resolve("r")),
                "nothing is written");
    }

    @Test
    void kernelsBenchTakesTheDeviceAndRefusesCudaWithTheReasonHere() {
        GpuPath here = GpuPath.detect();
        if (!here.available()) {
            CliRunner r = CliRunner.run("kernels", "bench", "--op", "svdvals", "--batch", "2", "--m", "4", "--n", "4",
                    "--reps", "1", "--warmup", "0", "--device", "cuda:0");
            assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
            assertTrue(r.err().startsWith("CUDA not available: " + here.reason() + System.lineSeparator()), r.err());
        }
        CliRunner bad = CliRunner.run("kernels", "bench", "--device", "gpu");
        assertEquals(Main.EXIT_USAGE, bad.exitCode());
        assertTrue(bad.err().contains("--device must be cpu, cuda or cuda:<index>, got 'gpu'"), bad.err());
        CliRunner cpu = CliRunner.run("kernels", "bench", "--op", "svdvals", "--batch", "2", "--m", "4", "--n", "4",
                "--reps", "1", "--warmup", "0", "--device", "cpu");
        assertEquals(0, cpu.exitCode(), cpu.err());
        assertTrue(cpu.out().startsWith("device: cpu, kernel path: "), cpu.out());
        CliRunner cusolver = CliRunner.run("kernels", "bench", "--op", "cusolver", "--device", "cpu");
        assertEquals(Main.EXIT_USAGE, cusolver.exitCode());
        assertTrue(cusolver.err().contains("--op cusolver times cuSOLVER on a device: give --device cuda"), cusolver.err());
    }

    @Test
    void aCudaArenaForSlurmIsPlannedHereUnderItsOwnIdsAndTakesNoDeviceIndex(@TempDir Path tmp) throws Exception {
        CliRunner index = CliRunner.run("arena", "--workdir", tmp.resolve("i").toString(), "--device", "cuda:1",
                "--plan-only");
        assertEquals(Main.EXIT_USAGE, index.exitCode(), index.err());
        assertTrue(index.err().contains("the arena's runs use the first visible GPU"), index.err());
        // the submitting host needs no GPU: the Slurm tasks check it on their nodes
        CliRunner cuda = CliRunner.run("arena", "--workdir", tmp.resolve("g").toString(), "--executor", "slurm",
                "--device", "cuda", "--plan-only");
        CliRunner cpu = CliRunner.run("arena", "--workdir", tmp.resolve("c").toString(), "--executor", "slurm",
                "--plan-only");
        assertEquals(0, cuda.exitCode(), cuda.err());
        assertEquals(0, cpu.exitCode(), cpu.err());
        List<String> cudaIds = cuda.out().lines().filter(l -> l.matches("\\d+ .*")).toList();
        List<String> cpuIds = cpu.out().lines().filter(l -> l.matches("\\d+ .*")).toList();
        assertEquals(cpuIds.size(), cudaIds.size());
        assertTrue(!cpuIds.isEmpty() && cudaIds.stream().noneMatch(cpuIds::contains), cuda.out());
        assertTrue(Files.readString(tmp.resolve("g").resolve("plan.json")).contains("\"device\""), "the plan records it");
    }

    @Test
    void devicesNameTheirLibTorchDevice() {
        assertEquals("cpu", org.peftarena.model.Devices.name(DeviceOption.Device.CPU.torch()));
        assertEquals("cuda:2", org.peftarena.model.Devices.name(new DeviceOption.Device(true, 2).torch()));
    }

    @Test
    void aDeviceIndexBeyondTheDevicesOrAnAvailablePathIsNamed() {
        GpuPath one = new GpuPath(new CudaProbe(true, 1, 13010, 13000, "fake device", ""), "gpu", "available", "");
        ParameterException e = assertThrows(ParameterException.class,
                () -> DeviceOption.requireUsable(new DeviceOption.Device(true, 1), one, CMD));
        assertTrue(e.getMessage().contains("CUDA device 1 not available: this machine has 1 CUDA device(s)"), e.getMessage());
        // every model command takes an available device as it is
        assertEquals(new DeviceOption.Device(true, 0), DeviceOption.requireUsable(new DeviceOption.Device(true, 0), one, CMD));
        GpuPath none = new GpuPath(new CudaProbe(true, 0, 0, 13000, "", "no NVIDIA driver found"), "cpu", "not asked",
                "no NVIDIA driver found");
        e = assertThrows(ParameterException.class, () -> DeviceOption.requireUsable(new DeviceOption.Device(true, 0), none, CMD));
        assertEquals("CUDA not available: no NVIDIA driver found", e.getMessage());
    }
}
