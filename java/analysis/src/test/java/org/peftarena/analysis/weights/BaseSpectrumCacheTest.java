package org.peftarena.analysis.weights;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;

class BaseSpectrumCacheTest {
    private static Path weights(Path dir, String file, long seed) throws Exception {
        Path p = dir.resolve(file);
        new SafetensorsWriter().addFloats("layer.q.weight", new long[] {6, 4}, DMatrix.gaussian(6, 4, seed).toFloats())
                .write(p);
        return p;
    }

    @Test
    void computesOnceThenReadsTheSameSpectrum(@TempDir Path tmp) throws Exception {
        BaseSpectrumCache cache = new BaseSpectrumCache(tmp.resolve("cache"));
        try (SafetensorsFile f = SafetensorsFile.open(weights(tmp, "a.safetensors", 1))) {
            BaseSpectrumCache.Lookup first = cache.getOrCompute(f, "layer.q.weight", "layer.q");
            BaseSpectrumCache.Lookup second = cache.getOrCompute(f, "layer.q.weight", "layer.q");
            assertFalse(first.cached());
            assertTrue(second.cached());
            Close.vector(first.spectrum().singularValues(), second.spectrum().singularValues(), 0, 0, "s");
            Close.vector(TensorMatrices.toDoubles(first.spectrum().u()), TensorMatrices.toDoubles(second.spectrum().u()),
                    0, 0, "U");
            Close.vector(TensorMatrices.toDoubles(first.spectrum().v()), TensorMatrices.toDoubles(second.spectrum().v()),
                    0, 0, "V");
            // another module name is another entry
            assertFalse(cache.getOrCompute(f, "layer.q.weight", "layer.k").cached());
        }
    }

    @Test
    void keyFollowsTheWeightContentNotTheFile(@TempDir Path tmp) throws Exception {
        BaseSpectrumCache cache = new BaseSpectrumCache(tmp.resolve("cache"));
        try (SafetensorsFile a = SafetensorsFile.open(weights(tmp, "a.safetensors", 1));
             SafetensorsFile copy = SafetensorsFile.open(weights(tmp, "copy.safetensors", 1));
             SafetensorsFile other = SafetensorsFile.open(weights(tmp, "b.safetensors", 2))) {
            cache.getOrCompute(a, "layer.q.weight", "layer.q");
            assertTrue(cache.getOrCompute(copy, "layer.q.weight", "layer.q").cached());
            assertFalse(cache.getOrCompute(other, "layer.q.weight", "layer.q").cached());
            assertNotEquals(StoredTensors.contentHash(a, "layer.q.weight"), StoredTensors.contentHash(other, "layer.q.weight"));
        }
    }

    @Test
    void spectraComputedOnAnotherDeviceAreKeptApartFromTheCpus(@TempDir Path tmp) throws Exception {
        BaseSpectrumCache cpu = new BaseSpectrumCache(tmp.resolve("cache"));
        BaseSpectrumCache explicitCpu = new BaseSpectrumCache(tmp.resolve("cache"), org.peftarena.model.Devices.cpu());
        BaseSpectrumCache cuda = new BaseSpectrumCache(tmp.resolve("cache"), org.peftarena.model.Devices.parse("cuda:0"));
        assertTrue(cpu.entryPath("h", "m").equals(explicitCpu.entryPath("h", "m")), "the CPU's keys as before");
        assertNotEquals(cpu.entryPath("h", "m"), cuda.entryPath("h", "m"));
        assertTrue(cuda.entryPath("h", "m").equals(
                new BaseSpectrumCache(tmp.resolve("cache"), org.peftarena.model.Devices.parse("cuda:1")).entryPath("h", "m")),
                "one key per device type: any GPU's SVD may serve another's");
        try (SafetensorsFile f = SafetensorsFile.open(weights(tmp, "a.safetensors", 1))) {
            org.bytedeco.pytorch.Tensor w0 = StoredTensors.matrix(f, "layer.q.weight");
            BaseSpectrum here = BaseSpectrum.compute(w0, org.peftarena.model.Devices.cpu());
            Close.vector(BaseSpectrum.compute(w0).singularValues(), here.singularValues(), 0, 0, "the CPU computes as before");
        }
    }

    @Test
    void corruptEntryIsRecomputed(@TempDir Path tmp) throws Exception {
        BaseSpectrumCache cache = new BaseSpectrumCache(tmp.resolve("cache"));
        try (SafetensorsFile f = SafetensorsFile.open(weights(tmp, "a.safetensors", 1))) {
            cache.getOrCompute(f, "layer.q.weight", "layer.q");
            Path entry = cache.entryPath(StoredTensors.contentHash(f, "layer.q.weight"), "layer.q");
            Files.write(entry, new byte[] {1, 2, 3});
            BaseSpectrumCache.Lookup again = cache.getOrCompute(f, "layer.q.weight", "layer.q");
            assertFalse(again.cached());
            assertTrue(cache.getOrCompute(f, "layer.q.weight", "layer.q").cached());
        }
    }
}
