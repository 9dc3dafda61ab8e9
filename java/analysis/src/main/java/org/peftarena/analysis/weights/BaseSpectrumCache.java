package org.peftarena.analysis.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.formats.io.TensorStore;
import org.peftarena.model.Devices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base-model SVDs kept on disk, one safetensors file per module, keyed by the SHA-256 of the
 * weight's content and the module name: a base model is decomposed once and reused for every
 * method, budget, seed and interpolation point.
 */
public final class BaseSpectrumCache {
    private static final Logger LOG = LoggerFactory.getLogger(BaseSpectrumCache.class);
    /** Format tag written into every entry; a different tag is treated as a miss. */
    public static final String FORMAT = "peft-arena-base-spectrum-v1";

    private final Path dir;
    private final Device device;

    /** @param dir cache directory (created on first store) */
    public BaseSpectrumCache(Path dir) {
        this(dir, Devices.cpu());
    }

    /**
     * @param dir cache directory (created on first store)
     * @param device where missing spectra are computed; entries computed off the CPU are kept apart from the CPU's
     *               (their rounding differs), under keys that name the device type
     */
    public BaseSpectrumCache(Path dir, Device device) {
        this.dir = dir;
        this.device = device;
    }

    /** @return the cache directory */
    public Path dir() {
        return dir;
    }

    /**
     * Loads the SVD of {@code store[tensorName]} or computes and stores it.
     *
     * @param store the base model's weights
     * @param tensorName the weight tensor, float [out, in]
     * @param module module name recorded in the key
     * @return the spectrum and whether it came from the cache
     * @throws IOException when the weight cannot be read or the entry cannot be written
     */
    public Lookup getOrCompute(TensorStore store, String tensorName, String module) throws IOException {
        String contentHash = StoredTensors.contentHash(store, tensorName);
        Path entry = entryPath(contentHash, module);
        if (Files.isRegularFile(entry)) {
            try {
                return new Lookup(load(entry, contentHash, module), true);
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring unusable cache entry {}: {}", entry, e.getMessage());
            }
        }
        BaseSpectrum spectrum = BaseSpectrum.compute(StoredTensors.matrix(store, tensorName), device);
        store(entry, spectrum, contentHash, module);
        return new Lookup(spectrum, false);
    }

    /**
     * @param spectrum the base spectrum
     * @param cached whether it was read from disk
     */
    public record Lookup(BaseSpectrum spectrum, boolean cached) {}

    /** @return where the entry for a weight content hash and module lives */
    public Path entryPath(String contentHash, String module) {
        String where = device.is_cpu() ? "" : "\n" + torch.DeviceTypeName(device.type(), true).getString();
        return dir.resolve(sha256(contentHash + "\n" + module + where) + ".safetensors");
    }

    private static BaseSpectrum load(Path entry, String contentHash, String module) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(entry)) {
            Map<String, String> meta = f.metadata();
            if (!FORMAT.equals(meta.get("format")) || !contentHash.equals(meta.get("weight_sha256"))
                    || !module.equals(meta.get("module"))) {
                throw new IOException("entry metadata does not match " + module);
            }
            return new BaseSpectrum(StoredTensors.matrix(f, "u"), StoredTensors.read(f, "s"),
                    StoredTensors.matrix(f, "v"));
        }
    }

    private void store(Path entry, BaseSpectrum s, String contentHash, String module) throws IOException {
        Files.createDirectories(dir);
        new SafetensorsWriter()
                .metadata("format", FORMAT)
                .metadata("weight_sha256", contentHash)
                .metadata("module", module)
                .addFloats("u", new long[] {s.out(), s.k()}, floats(s.u()))
                .addFloats("s", new long[] {s.k()}, floats(s.s()))
                .addFloats("v", new long[] {s.in(), s.k()}, floats(s.v()))
                .write(entry);
        LOG.info("stored base spectrum of {} in {}", module, entry);
    }

    private static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        c.data_ptr_float().get(out);
        return out;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
