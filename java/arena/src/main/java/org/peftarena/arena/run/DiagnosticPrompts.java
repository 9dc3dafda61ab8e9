package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpec;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.arena.data.RlTaskData;
import org.peftarena.train.data.PromptResponse;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.data.TaskData;
import org.peftarena.arena.data.TextTaskData;

/**
 * The two prompt sets of a run's diagnostics, taken from held-out test items so nothing the run
 * trained on is measured: general (G) interleaves the general tasks' items round robin, target (T)
 * takes the target's items. Problems (RL problems too) count as prompt followed by the expected answer. Deterministic
 * for a given catalog.
 */
public final class DiagnosticPrompts {
    private DiagnosticPrompts() {
    }

    /** The general prompt set: up to {@code count} items, round robin over the run's general tasks. */
    public static List<String> general(TaskCatalog catalog, RunSpec spec, int count) {
        List<List<String>> perTask = new ArrayList<>();
        for (String task : spec.general()) {
            perTask.add(items(catalog.task(task)));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            boolean any = false;
            for (List<String> items : perTask) {
                if (i < items.size() && out.size() < count) {
                    out.add(items.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /** The target prompt set: the first {@code count} test items of the run's target. */
    public static List<String> target(TaskCatalog catalog, RunSpec spec, int count) {
        List<String> items = items(catalog.task(spec.target()));
        return List.copyOf(items.subList(0, Math.min(count, items.size())));
    }

    private static List<String> items(TaskData data) {
        if (data instanceof ProblemTaskData p) {
            List<String> out = new ArrayList<>();
            for (PromptResponse pr : p.test()) {
                out.add(pr.prompt() + pr.response());
            }
            return out;
        }
        if (data instanceof RlTaskData rl) {
            return rl.test().stream().map(p -> p.prompt() + p.answer()).toList();
        }
        return ((TextTaskData) data).test();
    }
}
