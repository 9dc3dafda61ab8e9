import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a quick-rl report (scripts/rl-check.sh): Full FT, LoRA and OFT each raise pass@1 above the
 * base model's by more than one standard error of the difference. Run with the shaded jar on the
 * class path: {@code java -cp java/cli/target/peft-arena.jar scripts/RlCheck.java REPORT_JSON}.
 */
public class RlCheck {
    public static void main(String[] args) throws Exception {
        JsonNode groups = new ObjectMapper().readTree(Path.of(args[0]).toFile()).path("regimes").path("rl");
        List<String> methods = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (JsonNode g : groups) {
            String method = g.path("method").asText();
            methods.add(method);
            double pass = g.path("pass_at_k").path("1").asDouble(Double.NaN);
            double delta = g.path("delta_pass_at_k").path("1").asDouble(Double.NaN);
            double se = g.path("delta_pass_at_one_se").asDouble(Double.NaN);
            System.out.printf(Locale.ROOT, "rl-check: %-5s pass@1 %.2f  Δpass@1 %+.2f ± %.2f%n", method, pass, delta, se);
            if (!(delta > se)) {
                bad.add(method);
            }
        }
        methods.sort(null);
        if (!methods.equals(List.of("full", "lora", "oft"))) {
            System.err.println("rl-check: expected Full FT, LoRA and OFT in the pass@k table, got " + methods);
            System.exit(1);
        }
        if (!bad.isEmpty()) {
            System.err.println("rl-check: RL did not raise pass@1 by more than one standard error for " + bad);
            System.exit(1);
        }
    }
}
