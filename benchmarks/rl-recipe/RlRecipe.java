import java.nio.file.*;
import java.util.*;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.*;
import org.peftarena.peft.*;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftMethod;
import org.peftarena.train.*;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.rl.*;

/**
 * One GRPO run on an arithmetic target and its score before and after: the driver behind the recipe
 * search in benchmarks/results/rl-quick-2026-12-04.md. From the repository root, after the jar is built:
 *
 *   OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -XX:+UseSerialGC -Dlead=1 -DloA=100 \
 *       -cp java/cli/target/peft-arena.jar benchmarks/rl-recipe/RlRecipe.java 99 1000 lora 2e-3 200 16 8 2
 *
 * Arguments: largest second operand, first operand bound (exclusive), method (full, lora = LoRA r4,
 * oft = OFT block 16), peak learning rate, GRPO steps, prompts per step, group size, mini-batches,
 * and optionally the rollout temperature. System properties: -Dlead=N scores the sum's N leading
 * digits (0: the last digit with the others stated in the prompt), -DloA and -DloB the smallest
 * operands. Problems are split by DataSplit of "a+b=" as the built-in task; scoring is on up to 128
 * test and validation problems with 16 samples each (seed 1234). Without OMP_NUM_THREADS=1, LibTorch's
 * two OpenMP threads make these small steps about ten times slower on two cores.
 */
public class RlRecipe {
    // args: maxB digitsA method lr steps promptBatch group miniBatches [temp]
    static int lead = Integer.getInteger("lead", 0), loA = Integer.getInteger("loA", 0), loB = Integer.getInteger("loB", 0);
    static List<RlProblem> problems(int maxB, int hiA, DataSplit split) {
        List<RlProblem> ps = new ArrayList<>();
        for (int x = loA; x < hiA; x++) for (int b = loB; b <= maxB; b++) {
            String q = x + "+" + b + "=";
            if (DataSplit.of(q) != split) continue;
            String sum = Integer.toString(x + b);
            if (lead > 0) ps.add(new RlProblem(q, sum.substring(0, Math.min(lead, sum.length()))));
            else ps.add(new RlProblem(q + sum.substring(0, sum.length() - 1), sum.substring(sum.length() - 1)));
        }
        Collections.shuffle(ps, new Random(3));
        return ps;
    }
    public static void main(String[] a) throws Exception {
        int maxB = Integer.parseInt(a[0]); int hiA = Integer.parseInt(a[1]);
        String method = a[2]; double lr = Double.parseDouble(a[3]); int steps = Integer.parseInt(a[4]);
        int pb = Integer.parseInt(a[5]), g = Integer.parseInt(a[6]), mb = Integer.parseInt(a[7]);
        double temp = a.length > 8 ? Double.parseDouble(a[8]) : 1.0;
        Path shipped = Path.of("models/tiny-europarl");
        List<RlProblem> train = problems(maxB, hiA, DataSplit.TRAIN);
        List<RlProblem> test = problems(maxB, hiA, DataSplit.TEST);
        test.addAll(problems(maxB, hiA, DataSplit.VALIDATION));
        if (test.size() > 128) test = new ArrayList<>(test.subList(0, 128));
        System.out.println("train " + train.size() + " test " + test.size() + " e.g. " + train.get(0));
        PeftConfig cfg = switch (method) {
            case "lora" -> new LoraConfig(4, 8);
            case "oft" -> MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 16).configFor(OftMethod.ID);
            default -> MethodOptions.DEFAULTS.configFor(FullMethod.ID);
        };
        int mnt = lead > 0 ? lead : 4; SamplingOptions so = new SamplingOptions(mnt, temp, 0);
        try (var tok = Tokenizers.load(shipped)) {
            LlamaModel base = HfModelDirectory.load(shipped);
            RlEvaluation ev = new RlEvaluation(32);
            var s0 = ev.evaluate(base, tok, test, new ExactMatchReward(), new SamplingOptions(mnt, 1.0, 0), 16, new int[]{1, 8}, 1234);
            System.out.printf("base greedy %.2f pass@1 %.2f pass@8 %.2f%n", s0.greedy(), s0.passAt(1), s0.passAt(8));
            if (steps == 0) return;
            LlamaModel m = HfModelDirectory.load(shipped);
            RlOptions o = new RlOptions(steps, pb, g, mb, so, 0.2, true, 1e-6, 0.0, AdamWConfig.withLearningRate(lr), 0.1, 1.0, 1, 0);
            long t0 = System.nanoTime();
            RlResult r = RlTrainer.train(m, null, tok, train, new ExactMatchReward(), cfg, TargetModules.ALL_LINEAR, o, null, new ProgressListener() {
                public void onStep(TrainingProgress p) {}
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            List<Double> rw = r.meanRewards();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rw.size(); i += Math.max(1, rw.size() / 10)) sb.append(String.format("%.2f ", rw.get(i)));
            System.out.printf("train %.0fs rewards %s last %.2f%n", secs, sb, rw.get(rw.size() - 1));
            var s1 = ev.evaluate(m, tok, test, new ExactMatchReward(), new SamplingOptions(mnt, 1.0, 0), 16, new int[]{1, 8}, 1234);
            System.out.printf("RESULT %s maxB=%d hiA=%d lr=%g steps=%d pb=%d g=%d mb=%d: greedy %.2f pass@1 %.2f pass@8 %.2f (base %.2f %.2f %.2f)%n",
                method, maxB, hiA, lr, steps, pb, g, mb, s1.greedy(), s1.passAt(1), s1.passAt(8), s0.greedy(), s0.passAt(1), s0.passAt(8));
        }
    }
}
