package org.peftarena.arena.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.model.Devices;

/** A run's device: the CPU by default; a run planned on CUDA refuses, with the reason, where LibTorch has no GPU. */
class RunDevicesTest {
    private static RunSpec base(String device) {
        return new RunSpec(RunKind.BASE, "/nowhere/model", "fp", RunSpec.BASE_METHOD, 0, "base", 0, 0, "t", List.of("g"), 0,
                List.of("q_proj"), null, null, Map.of(), null, List.of(), null, null, device);
    }

    @Test
    void cpuRunsRunOnTheCpu() {
        assertEquals("cpu", Devices.name(RunDevices.of(base(null))));
        assertEquals("cpu", RunDevices.backend(base(null)));
        assertEquals("cuda", RunDevices.backend(base(RunSpec.CUDA)));
    }

    @Test
    void aCudaRunWithoutAGpuFailsBeforeItReadsItsModel() {
        if (torch.cuda_is_available()) {
            return; // the refusal is for LibTorch's CPU build (every CI run)
        }
        RunSpec spec = base(RunSpec.CUDA);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunDevices.load(Path.of(spec.baseModel()), spec));
        assertTrue(e.getMessage().contains("was planned on CUDA, but LibTorch here has no CUDA device"), e.getMessage());
        assertTrue(e.getMessage().startsWith("run " + spec.id()), e.getMessage());
    }
}
