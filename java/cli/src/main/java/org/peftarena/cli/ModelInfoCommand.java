package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.formats.config.LinearModuleSpec;
import org.peftarena.formats.config.LlamaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints a model directory's configuration summary, parameter count and linear modules. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Config summary, parameter count and the adaptable linear modules of a model directory (reads config.json only).")
final class ModelInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model directory (config.json).")
    Path dir;

    @Option(names = "--modules", description = "List every linear module of every layer (default: layer 0 only).")
    boolean allModules;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        LlamaConfig c = LlamaConfig.load(dir.resolve("config.json"));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_type", c.modelType().hfName());
        info.put("hidden_size", c.hiddenSize());
        info.put("intermediate_size", c.intermediateSize());
        info.put("num_hidden_layers", c.numHiddenLayers());
        info.put("num_attention_heads", c.numAttentionHeads());
        info.put("num_key_value_heads", c.numKeyValueHeads());
        info.put("head_dim", c.headDim());
        info.put("vocab_size", c.vocabSize());
        info.put("tie_word_embeddings", c.tieWordEmbeddings());
        info.put("parameters", c.parameterCount());
        List<LinearModuleSpec> modules = allModules ? c.linearModules() : c.linearModules(0);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>(info);
            doc.put("linear_modules", modules);
            json.emit(out, doc);
        }
        if (!json.replacesText()) {
            info.forEach((k, v) -> out.printf("%-20s %s%n", k, v));
            out.printf("%nlinear modules (%s):%n", allModules ? "all layers" : "layer 0; --modules for all");
            for (LinearModuleSpec m : modules) {
                out.printf("  %-45s out=%-6d in=%-6d bias=%s%n", m.name(), m.out(), m.in(), m.bias());
            }
        }
        out.flush();
        return 0;
    }
}
