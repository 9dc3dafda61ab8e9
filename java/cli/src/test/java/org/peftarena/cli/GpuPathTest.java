package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.CudaProbe;
import org.peftarena.model.HostTensors;

class GpuPathTest {
    private static final String P = "linux-x86_64";
    private static final String CPU = "org/bytedeco/pytorch/" + P + "/libjnitorch.so";
    private static final String GPU = "org/bytedeco/pytorch/" + P + "-gpu/libjnitorch_cuda.so";
    private static final CudaProbe DEVICE = new CudaProbe(true, 1, 13010, 13000, "fake device", "");

    private static ClassLoader holding(String... resources) {
        Set<String> names = Set.of(resources);
        return new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                try {
                    return names.contains(name) ? Path.of("/", name).toUri().toURL() : null;
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Test
    void withoutADeviceLibTorchIsNeverAskedAndTheCpuPathStillWorks() {
        AtomicInteger asked = new AtomicInteger();
        GpuPath here = GpuPath.detect(CudaProbe.probe(), GpuPath.class.getClassLoader(), P, () -> {
            asked.incrementAndGet();
            return true;
        });
        // this machine: no driver, the default (CPU) build's natives
        assertFalse(here.available());
        assertEquals(0, asked.get(), "LibTorch's CUDA check must not run before our probe finds a device");
        assertEquals("cpu", here.pytorchNatives());
        assertFalse(here.reason().isBlank());
        Map<String, Object> report = new LinkedHashMap<>();
        here.addTo(report);
        assertTrue(String.valueOf(report.get("gpu_path")).startsWith("unavailable: "), report.toString());
        assertEquals(false, report.get("gpu_path_available"));
        // nothing was poisoned: LibTorch's CPU path runs after the probe
        Tensor t = HostTensors.floats(new float[] {1, 2, 3}, 3);
        assertEquals(6.0f, HostTensors.toFloats(t.sum())[0], 0.0f);
        // and the real detect() (which would call LibTorch's check) reaches the same answer
        assertEquals(here.reason(), GpuPath.detect().reason());
    }

    @Test
    void doctorReportsTheGpuPath() throws Exception {
        CliRunner r = CliRunner.run("doctor", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        GpuPath here = GpuPath.detect();
        assertEquals(here.pytorchNatives(), doc.path("pytorch_natives").asText(), r.out());
        assertEquals(CudaProbe.version(here.probe().driverVersion()), doc.path("cuda_driver").asText(), r.out());
        assertEquals(CudaProbe.version(here.probe().runtimeVersion()), doc.path("cuda_runtime_in_kernels").asText());
        assertEquals(here.libtorchCuda(), doc.path("libtorch_cuda").asText(), r.out());
        assertEquals(here.available() ? "available" : "unavailable: " + here.reason(), doc.path("gpu_path").asText());
    }

    @Test
    void eachMissingPieceIsNamed() {
        AtomicInteger asked = new AtomicInteger();
        GpuPath cpuJar = GpuPath.detect(DEVICE, holding(CPU), P, () -> asked.incrementAndGet() > 0);
        assertTrue(cpuJar.reason().contains("CPU build") && cpuJar.reason().contains("-Pgpu"), cpuJar.reason());
        GpuPath both = GpuPath.detect(DEVICE, holding(CPU, GPU), P, () -> asked.incrementAndGet() > 0);
        assertTrue(both.reason().contains("both PyTorch native builds"), both.reason());
        GpuPath none = GpuPath.detect(DEVICE, holding(), P, () -> asked.incrementAndGet() > 0);
        assertTrue(none.reason().contains("no PyTorch natives"), none.reason());
        assertEquals(0, asked.get());

        GpuPath ok = GpuPath.detect(DEVICE, holding(GPU), P, () -> true);
        assertTrue(ok.available(), ok.reason());
        assertEquals("available", ok.libtorchCuda());
        GpuPath says = GpuPath.detect(DEVICE, holding(GPU), P, () -> false);
        assertTrue(says.reason().contains("reports CUDA unavailable") && says.reason().contains("cuda-13.1"), says.reason());
        GpuPath broken = GpuPath.detect(DEVICE, holding(GPU), P, () -> {
            throw new UnsatisfiedLinkError("libcudart.so.13: cannot open shared object file");
        });
        assertEquals("failed to load", broken.libtorchCuda());
        assertTrue(broken.reason().contains("libcudart.so.13"), broken.reason());
        GpuPath noDriver = GpuPath.detect(new CudaProbe(true, 0, 0, 13000, "", "no NVIDIA driver found"), holding(GPU),
                P, () -> true);
        assertEquals("no NVIDIA driver found", noDriver.reason());
    }
}
