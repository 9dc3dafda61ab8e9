package org.peftarena.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.SafetensorsDtype;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.formats.io.TensorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a decoder from a Hugging Face model directory ({@code config.json} plus
 * {@code model.safetensors} or shards with {@code model.safetensors.index.json}) and saves one.
 * Saving what was loaded, in the same dtype, reproduces every tensor bit for bit.
 */
public final class HfModelDirectory {
    /** Name of the architecture file. */
    public static final String CONFIG_FILE = "config.json";
    /** Shard size above which saving splits the weights into several files (as Hugging Face's default). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(HfModelDirectory.class);

    private HfModelDirectory() {
    }

    /** Loads in the checkpoint's own dtype (BF16 stays BF16; F32, F16 and F64 become FLOAT32). */
    public static LlamaModel load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * @param dir   model directory
     * @param dtype dtype to hold the weights in, or null for the checkpoint's own
     * @throws ModelLoadException when files are missing or tensors do not match the config
     * @throws org.peftarena.formats.io.NonFiniteTensorException naming a tensor that holds NaN or infinity
     */
    public static LlamaModel load(Path dir, ModelDType dtype) throws IOException {
        return load(dir, dtype, false);
    }

    /**
     * Loads a base model to stay frozen under adapters: the weights are held in the dtype the
     * checkpoint stores (bfloat16 and float16 stay narrow; float64 becomes float32), on the CPU as
     * copy-on-write mappings of the files where the files can be opened so (else as copies), and
     * the model computes in float32 ({@link LlamaModel#computeDtype()}). Each layer's weight is
     * widened to float32 only while that layer runs, forward and backward ({@link FrozenLinear}),
     * so memory stays near the stored size. A float32 checkpoint loads as {@link #load(Path)} would.
     *
     * @throws ModelLoadException when files are missing or tensors do not match the config
     */
    public static LlamaModel loadFrozenBase(Path dir) throws IOException {
        return load(dir, null, true);
    }

    private static LlamaModel load(Path dir, ModelDType dtype, boolean frozenBase) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelLoadException(dir + ": no " + CONFIG_FILE);
        }
        LlamaConfig config = LlamaConfig.load(configFile);
        try (ShardedCheckpoint store = ShardedCheckpoint.open(dir)) {
            Map<String, long[]> expected = ModelWeights.expectedShapes(config);
            List<String> names = new ArrayList<>(expected.keySet());
            if (config.tieWordEmbeddings() && store.contains(ModelWeights.LM_HEAD)) {
                names.add(ModelWeights.LM_HEAD);
            }
            checkNoStrangers(dir, store.names(), names);
            SafetensorsDtype stored = store.info(ModelWeights.EMBED).dtype();
            ModelDType target = dtype != null ? dtype
                    : frozenBase ? ModelDType.frozenBaseFor(stored) : ModelDType.forCheckpoint(stored);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : names) {
                TensorInfo info = store.find(name).orElseThrow(() ->
                        new ModelLoadException(dir + ": missing tensor " + name));
                long[] shape = expected.getOrDefault(name, expected.get(ModelWeights.EMBED));
                if (!Arrays.equals(info.shape(), shape)) {
                    throw new ModelLoadException(dir + ": tensor " + name + " has shape "
                            + Arrays.toString(info.shape()) + ", config.json implies " + Arrays.toString(shape));
                }
                Tensor t = frozenBase && target != ModelDType.FLOAT32 && info.dtype() == target.safetensorsDtype()
                        ? mapped(store, info, target) : null;
                if (t == null) {
                    t = read(store, info, target);
                }
                FiniteTensors.require(store.source(), name, t);
                tensors.put(name, t);
            }
            LOG.debug("loaded {} tensors from {} as {}{}", tensors.size(), dir, target, frozenBase ? " (frozen base)" : "");
            ModelWeights weights = new ModelWeights(tensors, target);
            return frozenBase ? new LlamaModel(config, weights, ModelDType.FLOAT32) : new LlamaModel(config, weights);
        }
    }

    private static void checkNoStrangers(Path dir, Iterable<String> present, List<String> wanted)
            throws ModelLoadException {
        for (String n : present) {
            // rotary inverse frequencies are recomputed from the config; old checkpoints store them
            if (!wanted.contains(n) && !n.endsWith("rotary_emb.inv_freq")) {
                throw new ModelLoadException(dir + ": tensor " + n + " is not part of the architecture in "
                        + CONFIG_FILE);
            }
        }
    }

    /** The tensor as a copy-on-write mapping of its bytes in the shard, or null when the shard cannot be mapped so. */
    private static Tensor mapped(ShardedCheckpoint store, TensorInfo info, ModelDType type) throws IOException {
        if (info.byteSize() == 0) {
            return null;
        }
        SafetensorsFile shard = store.shardOf(info.name());
        return MappedTensors.map(shard.path(), shard.header().dataStart() + info.begin(), info.byteSize(),
                type.scalarType(), info.shape());
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static Tensor read(ShardedCheckpoint store, TensorInfo info, ModelDType target) throws IOException {
        ScalarType source = switch (info.dtype()) {
            case F32 -> torch.ScalarType.Float;
            case BF16 -> torch.ScalarType.BFloat16;
            case F16 -> torch.ScalarType.Half;
            case F64 -> torch.ScalarType.Double;
            default -> throw new ModelLoadException(store.source() + ": tensor " + info.name() + " has dtype "
                    + info.dtype() + ", expected a floating-point type");
        };
        ByteBuffer bytes;
        try {
            bytes = store.buffer(info.name());
        } catch (UnsupportedOperationException tooLargeForOneMapping) {
            bytes = ByteBuffer.wrap(store.readBytes(info.name()));
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor raw = HostTensors.fromBytes(bytes, source, info.shape());
            Tensor t = raw.scalar_type().intern() == target.scalarType() ? raw : raw.to(target.scalarType());
            t.retainReference(); // outlives the scope: the scope releases its reference, ours remains
            return t;
        }
    }

    /**
     * Writes {@code config.json} (with {@code torch_dtype} set to the model's dtype) and the
     * weights, in one file or in shards of at most {@code maxShardBytes}.
     *
     * @return the files written
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static List<Path> save(LlamaModel model, Path dir, long maxShardBytes) throws IOException {
        // a merge or interpolation that produced NaN/Inf must fail before anything is written
        FiniteTensors.requireAll("model to write to " + dir, model.weights().asMap());
        Files.createDirectories(dir);
        ModelDType dtype = model.dtype();
        SafetensorsDtype fileType = dtype.safetensorsDtype();
        // the writer reads tensor memory at write time, so the contiguous copies stay referenced until then
        @SuppressWarnings("ModifiedButNotUsed") // holds the contiguous copies alive until the writer reads them
        List<Tensor> keepAlive = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, Tensor> e : model.weights().asMap().entrySet()) {
                Tensor c = Devices.on(Devices.cpu(), e.getValue().detach()).contiguous(); // a device model is written from host copies
                keepAlive.add(c);
                writer.add(e.getKey(), fileType, HostTensors.shape(c), HostTensors.asByteBuffer(c));
            }
            List<Path> written = new ArrayList<>(writer.writeModelDir(dir, maxShardBytes));
            Path configFile = dir.resolve(CONFIG_FILE);
            byte[] json = withDtype(model.config(), dtype).toJson().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(configFile, json);
            written.add(configFile);
            return written;
        }
    }

    /** {@link #save(LlamaModel, Path, long)} with {@link #DEFAULT_MAX_SHARD_BYTES}. */
    public static List<Path> save(LlamaModel model, Path dir) throws IOException {
        return save(model, dir, DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * {@link #save(LlamaModel, Path)}, but {@code config.json} is the original one with every key
     * kept as written (auto_map, quantization notes, architectures, ...); only {@code torch_dtype}
     * (and {@code dtype}, where newer files carry it) are set to the model's dtype.
     *
     * @param originalConfig the base model's {@code config.json}
     * @return the files written
     */
    public static List<Path> save(LlamaModel model, Path dir, Path originalConfig) throws IOException {
        JsonNode original = ORIGINAL_CONFIG_READER.readTree(Files.readAllBytes(originalConfig));
        if (!(original instanceof ObjectNode tree)) {
            throw new ModelLoadException(originalConfig + ": expected a JSON object");
        }
        List<Path> written = save(model, dir);
        String dtype = model.dtype().hfName();
        tree.put("torch_dtype", dtype);
        if (tree.has("dtype")) {
            tree.put("dtype", dtype);
        }
        AtomicFiles.write(dir.resolve(CONFIG_FILE),
                (ORIGINAL_CONFIG_READER.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        return written;
    }

    /**
     * The same weights in another dtype (each tensor converted; a model already in {@code dtype}
     * is returned as it is).
     */
    public static LlamaModel convert(LlamaModel model, ModelDType dtype) {
        if (model.dtype() == dtype) {
            return model;
        }
        Map<String, Tensor> converted = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.weights().asMap().entrySet()) {
            converted.put(e.getKey(), e.getValue().to(dtype.scalarType()));
        }
        return new LlamaModel(model.config(), new ModelWeights(converted, dtype));
    }

    /**
     * The dtype a model directory stores its weights in, as {@link #load(Path)} would hold them
     * (BF16 stays BF16; F32, F16 and F64 are FLOAT32).
     */
    public static ModelDType storedDtype(Path dir) throws IOException {
        try (ShardedCheckpoint store = ShardedCheckpoint.open(dir)) {
            return ModelDType.forCheckpoint(store.info(ModelWeights.EMBED).dtype());
        }
    }

    /**
     * The dtype {@link #loadFrozenBase(Path)} holds a model directory's weights in (BF16 and F16
     * stay narrow; F32 and F64 are FLOAT32).
     */
    public static ModelDType frozenBaseDtype(Path dir) throws IOException {
        try (ShardedCheckpoint store = ShardedCheckpoint.open(dir)) {
            return ModelDType.frozenBaseFor(store.info(ModelWeights.EMBED).dtype());
        }
    }

    private static final ObjectMapper ORIGINAL_CONFIG_READER = new ObjectMapper();

    private static LlamaConfig withDtype(LlamaConfig c, ModelDType dtype) {
        return new LlamaConfig(c.modelType(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.rmsNormEps(),
                c.ropeTheta(), c.ropeScaling(), c.qkvBias(), c.outputBias(), c.mlpBias(), c.tieWordEmbeddings(),
                c.maxPositionEmbeddings(), dtype.hfName(), c.bosTokenId(), c.eosTokenIds(), c.padTokenId(),
                c.slidingWindow());
    }
}
