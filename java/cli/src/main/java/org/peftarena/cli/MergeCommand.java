package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.formats.io.OutputDirectory;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Folds an HF PEFT adapter into its base model and writes a plain Hugging Face model directory. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge an adapter (HF PEFT directory) into its base model; writes an HF model directory "
                + "in the base model's dtype (bf16 in, bf16 out) with its config.json keys kept.")
final class MergeCommand implements Callable<Integer> {
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    @Spec
    CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory.")
    Path base;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "Adapter directory (adapter_config.json + adapter_model.safetensors).")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory of the merged model.")
    Path out;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--overwrite", description = "Replace --out if it is not empty (the new model is swapped in only once complete).")
    boolean overwrite;

    @Mixin
    ExportDtypeOption dtype = new ExportDtypeOption();

    @Override
    public Integer call() throws IOException {
        Threads.configureDefaults();
        OutputDirectory.check(out, overwrite, List.of(base, adapter));
        ModelDType target = dtype.resolve(spec, base);
        AdapterCheckpoint ckpt = AdapterIO.load(adapter);
        LlamaModel model = Float32Models.load(base);
        PeftModel pm = PeftModel.attach(model, ckpt.config(), ckpt.targets(), 0);
        pm.adapters().load(ckpt.tensors());
        pm.merge();
        pm.detach();
        try (OutputDirectory dir = OutputDirectory.prepare(out, overwrite, List.of(base, adapter))) {
            HfModelDirectory.save(HfModelDirectory.convert(model, target), dir.staging(),
                    base.resolve(HfModelDirectory.CONFIG_FILE));
            for (String f : TOKENIZER_FILES) {
                if (Files.isRegularFile(base.resolve(f))) {
                    Files.copy(base.resolve(f), dir.staging().resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            dir.commit();
        }
        PrintWriter w = spec.commandLine().getOut();
        if (!json.replacesText()) {
            w.printf("merged %s (%s, %d layers) into %s -> %s (%s)%n", adapter, ckpt.config(), pm.adapters().layers().size(),
                    base, out, target.hfName());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("base", base.toString());
        doc.put("adapter", adapter.toString());
        doc.put("out", out.toString());
        doc.put("dtype", target.hfName());
        doc.put("config", Json.config(ckpt.config()));
        doc.put("layers", pm.adapters().layers().size());
        json.emit(w, doc);
        w.flush();
        return 0;
    }
}
