package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Generates a continuation of a prompt with a model directory, for a quick look. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt (greedy by default; --temperature for sampling).")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model directory.")
    Path dir;

    @Option(names = "--prompt", required = true, description = "The prompt text.")
    String prompt;

    @Option(names = "--max-new-tokens", description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxNewTokens = 64;

    @Option(names = "--temperature", description = "0 = greedy (default); > 0 samples.")
    double temperature = 0;

    @Option(names = "--top-k", description = "Sample among the k most likely tokens (0 = all; default ${DEFAULT-VALUE}).")
    int topK = 0;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--seed", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public Integer call() throws Exception {
        DeviceOption.Device where = device.requireForModel(spec);
        if (maxNewTokens < 1 || temperature < 0 || topK < 0) {
            throw new ParameterException(spec.commandLine(), "--max-new-tokens >= 1, --temperature >= 0, --top-k >= 0 are required");
        }
        TextTokenizer tokenizer = Tokenizers.load(dir);
        LlamaModel model = HfModelDirectory.load(dir).moveTo(where.torch());
        int[] ids = tokenizer.encode(prompt);
        int[] withBos = ids;
        if (tokenizer.bosId().isPresent()) {
            withBos = new int[ids.length + 1];
            withBos[0] = tokenizer.bosId().getAsInt();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
        }
        GenerationOptions options = new GenerationOptions(maxNewTokens, temperature, topK, seed,
                tokenizer.eosId().orElse(-1), tokenizer.padId().orElse(tokenizer.eosId().orElse(0)), true);
        List<int[]> out;
        try (PointerScope scope = new PointerScope()) {
            out = new Generator(model).generate(List.of(withBos), options);
        }
        PrintWriter w = spec.commandLine().getOut();
        String completion = tokenizer.decode(out.get(0));
        if (!json.replacesText()) {
            w.println(prompt + completion);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("prompt", prompt);
        doc.put("completion", completion);
        doc.put("new_tokens", out.get(0).length);
        json.emit(w, doc);
        w.flush();
        return 0;
    }
}
