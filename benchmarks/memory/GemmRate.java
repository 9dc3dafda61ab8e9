import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Threads;

/**
 * The machine's float32 GEMM rate through LibTorch, with the thread settings training uses
 * ({@code OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS}, as the launcher sets them).
 *
 * <p>usage: {@code java -cp java/cli/target/peft-arena.jar benchmarks/memory/GemmRate.java [n] [repeats]}
 * (defaults 2048 and 10); prints the best and median GFLOP/s over the repeats of {@code C = A B}.
 */
public final class GemmRate {
    private GemmRate() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.println("threads: " + Threads.configureDefaults());
        torch.manual_seed(0);
        Tensor a = torch.randn(n, n);
        Tensor b = torch.randn(n, n);
        torch.mm(a, b); // warm-up
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            Tensor c = torch.mm(a, b);
            long t1 = System.nanoTime();
            c.close();
            rates[i] = 2.0 * n * (double) n * n / ((t1 - t0) * 1e-9) / 1e9;
        }
        java.util.Arrays.sort(rates);
        System.out.printf("fp32 mm %dx%d: best %.1f GFLOP/s, median %.1f GFLOP/s over %d repeats%n",
                n, n, rates[repeats - 1], rates[repeats / 2], repeats);
    }
}
