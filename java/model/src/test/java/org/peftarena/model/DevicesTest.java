package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * Moving a model between devices, and the host-memory guards. LibTorch's {@code meta} device (shapes
 * without storage) stands in for a GPU: every build has it.
 */
class DevicesTest {
    private static final Device META = Devices.parse("meta");

    @Test
    void namesParseAndBadOnesAreRefusedWithLibTorchsReason() {
        assertEquals("cpu", Devices.name(Devices.cpu()));
        assertEquals("cuda:1", Devices.name(Devices.parse("cuda:1")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu:0"));
        assertTrue(e.getMessage().startsWith("not a device: 'gpu:0' ("), e.getMessage());
    }

    @Test
    void aModelMovesEveryWeightKeepingDtypeAndOrderAndStaysPutOnItsOwnDevice() {
        LlamaModel cpu = TinyModels.model(TinyModels.qwen2Tied(), 3);
        assertSame(cpu, cpu.to(Devices.cpu()), "already there: the same model");
        assertTrue(cpu.device().is_cpu());
        LlamaModel meta = cpu.to(META);
        assertTrue(meta.device().is_meta());
        assertEquals(java.util.List.copyOf(cpu.weights().names()), java.util.List.copyOf(meta.weights().names()));
        for (String n : cpu.weights().names()) {
            Tensor t = meta.weights().get(n);
            assertTrue(t.is_meta(), n);
            assertEquals(cpu.weights().get(n).scalar_type().intern(), t.scalar_type().intern(), n);
            assertEquals(java.util.Arrays.toString(HostTensors.shape(cpu.weights().get(n))),
                    java.util.Arrays.toString(HostTensors.shape(t)), n);
            assertTrue(cpu.weights().get(n).device().is_cpu(), "the original stays where it was: " + n);
        }
        assertEquals(cpu.computeDtype(), meta.computeDtype());
        assertSame(meta.weights().get(ModelWeights.EMBED), meta.headWeight(), "tied head");
    }

    @Test
    void movingReleasesTheTensorsLeftBehindAndStayingPutReleasesNothing() {
        LlamaModel cpu = TinyModels.model(TinyModels.qwen2Tied(), 3);
        assertSame(cpu, cpu.moveTo(Devices.cpu()));
        assertTrue(cpu.weights().asMap().values().stream().noneMatch(t -> t.isNull()), "nothing released");
        Tensor head = cpu.headWeight();
        LlamaModel meta = cpu.moveTo(META);
        assertTrue(head.isNull(), "the host copy is released");
        assertTrue(cpu.weights().asMap().values().stream().allMatch(t -> t.isNull()));
        assertTrue(meta.weights().asMap().values().stream().allMatch(Tensor::is_meta));
    }

    @Test
    void aBfloat16FrozenBaseMovesAsStoredAndKeepsComputingInFloat32() {
        LlamaModel cpu = new LlamaModel(TinyModels.qwen2Tied(), TinyModels.toWeights(TinyModels.qwen2Tied(),
                TinyModels.randomArrays(TinyModels.qwen2Tied(), 4), ModelDType.BFLOAT16), ModelDType.FLOAT32);
        LlamaModel meta = cpu.to(META);
        assertEquals(torch.ScalarType.BFloat16, meta.headWeight().scalar_type().intern());
        assertEquals(ModelDType.FLOAT32, meta.computeDtype());
    }

    @Test
    void replacingAWeightWithOneOnAnotherDeviceIsRefusedNamingBoth() {
        LlamaModel meta = TinyModels.model(TinyModels.qwen2Tied(), 3).to(META);
        Tensor host = torch.zeros(HostTensors.shape(meta.weights().get(ModelWeights.FINAL_NORM)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meta.weights().replace(ModelWeights.FINAL_NORM, host));
        assertTrue(e.getMessage().contains(" on cpu, expected ") && e.getMessage().endsWith(" on meta"), e.getMessage());
    }

    @Test
    void hostMemoryViewsOfDeviceTensorsAreRefusedInsteadOfReadingDeviceAddresses() {
        Tensor meta = torch.ones(4, 3).to(META, torch.ScalarType.Float);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostTensors.address(meta));
        assertEquals("tensor must be a CPU tensor, got one on meta", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostTensors.asByteBuffer(meta));
        Tensor host = torch.ones(4, 3);
        assertEquals(12, HostTensors.toFloats(host).length);
        assertTrue(HostTensors.address(host) != 0);
    }
}
