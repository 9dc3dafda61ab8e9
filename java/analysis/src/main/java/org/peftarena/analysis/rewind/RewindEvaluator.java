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
        double[] fullNorm = new double[1];
        if (!recipes.isEmpty()) {
            merged(base, adapter, null, fullNorm);
        }
        for (RewindOptions r : recipes) {
            RewindPlan plan = Rewinder.plan(adapter, r, kernels);
            double[] norm = new double[1];
            ModelScores s = merged(base, Rewinder.apply(adapter, plan), scorer, norm);
            out.add(new RewindOutcome(plan, s, fullNorm[0] > 0 ? norm[0] / fullNorm[0] : Double.NaN));
        }
        return out;
    }

    /**
     * Merges an adapter into the base, measures {@code normF(W - W0)} into {@code norm[0]}, scores the
     * merged model when a scorer is given, and puts the base weights back.
     */
    private static ModelScores merged(LlamaModel base, AdapterCheckpoint rewound, ModelScorer scorer, double[] norm) {
        PeftModel pm = PeftModel.attach(base, rewound.config(), rewound.targets(), 0L);
        try {
            pm.adapters().load(rewound.tensors());
            // merged, the model scores at the base model's cost (an unmerged OFT adapter rotates every forward)
            WeightSnapshot w0 = WeightSnapshot.of(pm.adapters().layers().values());
            pm.merge();
            try {
                norm[0] = updateNorm(w0);
                return scorer == null ? null : scorer.score(base);
            } finally {
                pm.unmerge();
                w0.restore();
            }
        } finally {
            pm.detach();
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static double updateNorm(WeightSnapshot w0) {
        double sumSq = 0;
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (int i = 0; i < w0.live().size(); i++) {
                double n = w0.live().get(i).sub(w0.saved().get(i))
                        .to(org.bytedeco.pytorch.global.torch.ScalarType.Double).norm().item_double();
                sumSq += n * n;
            }
        }
        return Math.sqrt(sumSq);
    }
}
