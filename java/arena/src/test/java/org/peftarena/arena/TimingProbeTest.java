package org.peftarena.arena;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.run.RunResult;
import org.peftarena.arena.run.RunSpec;

class TimingProbeTest {
    @TempDir
    Path tmp;

    @Test
    void probe() throws Exception {
        long t0 = System.nanoTime();
        var config = TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "oft"), 6);
        System.out.printf("config %.2f%n", (System.nanoTime() - t0) / 1e9);
        new ArenaRunner(config, tmp.resolve("w"), new ArenaListener() {
            long last = System.nanoTime();
            void p(String s) {
                long now = System.nanoTime();
                System.out.printf("%+.2f %s%n", (now - last) / 1e9, s);
                last = now;
            }
            public void runStarted(int i, RunSpec s) { p("start " + s.id()); }
            public void runPhase(int i, RunSpec s, String ph) { p("phase " + ph); }
            public void runEvaluated(int i, RunSpec s, int step, Map<String, Double> sc) { p("eval " + step + " " + sc); }
            public void runFinished(int i, RunSpec s, RunResult r) { p("done " + r.trainSeconds() + " " + r.evalSeconds()); }
        }).run();
    }
}
