package org.peftarena.analysis.rewind;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.analysis.interp.ModelScorer;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.WeightSnapshot;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.KernelOps;

/** Scores rewound versions of an adapter; the arena runner's entry point for its rewinding table. */
public final class RewindEvaluator {
    private RewindEvaluator() {}

    /**
     * Rewinds the adapter with each recipe and scores the result merged into the base model; the
     * base weights are put back bit for bit afterwards.
     *
     * @param base the float32 base model with no adapter attached
     * @param adapter the finetuned adapter
     * @param recipes the recipes, e.g. {@link RewindOptions#ARENA_TABLE}
     * @param scorer Target/General of a model
     * @param kernels the Cayley kernel
     * @return one outcome per recipe, in order
     */
    public static List<RewindOutcome> evaluate(LlamaModel base, AdapterCheckpoint adapter, List<RewindOptions> recipes,
                                               ModelScorer scorer, KernelOps kernels) {
        List<RewindOutcome> out = new ArrayList<>();
        for (RewindOptions r : recipes) {
            RewindPlan plan = Rewinder.plan(adapter, r, kernels);
            out.add(new RewindOutcome(plan, score(base, Rewinder.apply(adapter, plan), scorer)));
        }
        return out;
    }

    private static ModelScores score(LlamaModel base, AdapterCheckpoint rewound, ModelScorer scorer) {
        PeftModel pm = PeftModel.attach(base, rewound.config(), rewound.targets(), 0L);
        try {
            pm.adapters().load(rewound.tensors());
            // merged, the model scores at the base model's cost (an unmerged OFT adapter rotates every forward)
            WeightSnapshot w0 = WeightSnapshot.of(pm.adapters().layers().values());
            pm.merge();
            try {
                return scorer.score(base);
            } finally {
                pm.unmerge();
                w0.restore();
            }
        } finally {
            pm.detach();
        }
    }
}
