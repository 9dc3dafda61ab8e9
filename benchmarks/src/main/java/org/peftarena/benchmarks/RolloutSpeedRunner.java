package org.peftarena.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;

/**
 * Times RL rollouts on a model directory (argument 1, default {@code models/tiny-europarl}): 64 new
 * tokens (no early stop) for batches of arithmetic prompts, sampled at temperature 1 with the
 * key/value cache against the same decode recomputing the whole prefix every step, in the same
 * run, checking both give the same tokens. System property {@code repeats} sets the min-of-N
 * (default 3), {@code rows} the batch sizes (default {@code 1,64}).
 */
public final class RolloutSpeedRunner {
    private static final int NEW_TOKENS = 64;

    private RolloutSpeedRunner() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "models/tiny-europarl");
        int repeats = Integer.getInteger("repeats", 3);
        torch.set_num_threads(1);
        LlamaModel model = HfModelDirectory.load(dir);
        System.out.println("model " + dir + ", LibTorch intra-op threads " + torch.get_num_threads() + ", " + NEW_TOKENS
                + " new tokens, min of " + repeats);
        System.out.println("| rows | cached s | recomputed s | cached tokens/s | speed-up | same tokens |");
        System.out.println("|---|---|---|---|---|---|");
        for (String r : System.getProperty("rows", "1,64").split(",", 0)) {
            int rows = Integer.parseInt(r.strip());
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                byte[] text = ((i * 7) % 100 + "+" + (i * 3) % 10 + "=").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int[] ids = new int[text.length + 1];
                ids[0] = 256;
                for (int j = 0; j < text.length; j++) {
                    ids[j + 1] = text[j] & 0xFF;
                }
                prompts.add(ids);
            }
            GenerationOptions cached = new GenerationOptions(NEW_TOKENS, 1.0, 0, 17, -1, 258, true);
            double[] cachedS = new double[1];
            double[] fullS = new double[1];
            List<int[]> a = time(model, prompts, cached, repeats, cachedS);
            List<int[]> b = time(model, prompts, cached.withCache(false), repeats, fullS);
            boolean same = true;
            for (int i = 0; i < rows; i++) {
                same &= Arrays.equals(a.get(i), b.get(i));
            }
            System.out.printf(Locale.ROOT, "| %d | %.3f | %.3f | %.0f | %.1fx | %s |%n", rows, cachedS[0], fullS[0],
                    rows * NEW_TOKENS / cachedS[0], fullS[0] / cachedS[0], same ? "yes" : "NO");
        }
    }

    private static List<int[]> time(LlamaModel model, List<int[]> prompts, GenerationOptions options, int repeats, double[] best) {
        Generator g = new Generator(model);
        List<int[]> out = g.generate(prompts, options); // warm-up
        best[0] = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            out = g.generate(prompts, options);
            best[0] = Math.min(best[0], (System.nanoTime() - t0) / 1e9);
        }
        return out;
    }
}
