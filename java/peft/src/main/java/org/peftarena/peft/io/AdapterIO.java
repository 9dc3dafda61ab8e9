package org.peftarena.peft.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.FiniteValues;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.formats.io.TensorInfo;
import org.peftarena.formats.io.UserTextFiles;
import org.peftarena.model.FiniteTensors;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.AdapterTensors;
import org.peftarena.peft.ConfiguredMethod;
import org.peftarena.peft.PeftConfig;

/**
 * Reads and writes adapters in HF PEFT's directory layout: {@code adapter_config.json} plus
 * {@code adapter_model.safetensors} with keys {@code base_model.model.<module>.<name>}.
 */
public final class AdapterIO {
    /** The config file name. */
    public static final String CONFIG_FILE = "adapter_config.json";
    /** The weights file name. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AdapterIO() {}

    /**
     * Writes an adapter directory (created if needed; files replaced atomically, weights first).
     *
     * @param adapters the trained adapters
     * @param dir target directory
     * @param baseModel recorded as {@code base_model_name_or_path}
     * @throws IOException when writing fails
     */
    public static void save(AdapterSet adapters, Path dir, String baseModel) throws IOException {
        PeftConfig config = adapters.config();
        ObjectNode json = AdapterConfigCodec.write(config, adapters.targets(), baseModel == null ? "" : baseModel);
        Files.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata(AdapterConfigCodec.metadata(config));
        Map<String, Tensor> state = ConfiguredMethod.of(config).tensorsToSave(adapters, json, adapters.stateDict());
        FiniteTensors.requireAll("adapter to write to " + dir, state);
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue().detach();
            w.addFloats(e.getKey(), HostTensors.shape(t), HostTensors.toFloats(t));
        }
        w.write(dir.resolve(WEIGHTS_FILE));
        AtomicFiles.write(dir.resolve(CONFIG_FILE), MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads an adapter directory written by this engine or by HF PEFT.
     *
     * @throws AdapterFormatException if a file is missing, malformed or describes an unsupported method
     * @throws org.peftarena.formats.io.NonFiniteTensorException naming a tensor or scale that is NaN or infinite
     * @throws IOException when reading fails
     */
    public static AdapterCheckpoint load(Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new AdapterFormatException(dir + " is not an adapter directory: it needs " + CONFIG_FILE + " and " + WEIGHTS_FILE);
        }
        JsonNode json;
        try {
            // strict JSON: a duplicate key or anything after the object is a broken file, not a config
            json = UserTextFiles.STRICT_JSON.readTree(UserTextFiles.bytes(configFile));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new AdapterFormatException(configFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new AdapterFormatException(configFile + " is not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new AdapterFormatException(configFile + " is not a JSON object");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata;
        try (SafetensorsFile f = SafetensorsFile.open(weightsFile)) {
            metadata = f.metadata();
            for (String name : f.names()) {
                if (!name.startsWith("base_model.")) {
                    throw new AdapterFormatException(weightsFile + ": key '" + name + "' lacks the base_model. prefix of HF PEFT adapters");
                }
                TensorInfo info = f.info(name);
                if (!info.dtype().isFloatingPoint()) {
                    throw new AdapterFormatException(weightsFile + ": tensor '" + name + "' is " + info.dtype() + ", not floating point");
                }
                float[] values = f.readFloats(name);
                FiniteValues.require(weightsFile.toString(), name, values);
                tensors.put(name, HostTensors.floats(values, info.shape()));
            }
        }
        requireFloat32Numbers(configFile.toString(), "", json);
        PeftConfig config = AdapterConfigCodec.readConfig(json, metadata);
        AdapterTensors read = ConfiguredMethod.of(config).tensorsLoaded(json, tensors);
        return new AdapterCheckpoint(read.config(), AdapterConfigCodec.readTargets(json), read.tensors(),
                AdapterJson.text(json, "base_model_name_or_path", ""));
    }

    /**
     * Scales (lora_alpha, ...) become float32 factors on the weights: a number beyond float32's range
     * would turn the merged model into infinities, so it is refused where the file is read.
     */
    private static void requireFloat32Numbers(String source, String path, JsonNode node) {
        if ((node.isNumber() && !node.isIntegralNumber())
                || (node.isIntegralNumber() && !node.canConvertToLong())) {
            FiniteValues.requireScale(source, path, node.doubleValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> requireFloat32Numbers(source,
                    path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFloat32Numbers(source, path + "[" + i + "]", node.get(i));
            }
        }
    }
}
