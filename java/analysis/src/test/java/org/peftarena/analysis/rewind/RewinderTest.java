package org.peftarena.analysis.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.analysis.interp.PathFixtures;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;

/**
 * Rewinding factors on a hand-built OFT adapter with block size 2: every block of module j
 * (0..6) in layer l holds the single generator entry {@code q = c_l w_j}, {@code w_j = (j + 1) / 4},
 * so {@code normF(Q) / sqrt(blocks) = sqrt(2) q} and the layer mean is {@code sqrt(2) c_l} (mean w = 1).
 */
class RewinderTest {
    private static final double[] C = {0.1, 0.2, 0.3, 0.4, 0.5, 1.0};
    private static final String[] MODULES = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
        "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};
    private static final KernelOps KERNELS = KernelOps.cpu();
    /** The generators are stored in float32: hand values hold to its rounding. */
    private static final double FP32 = 1e-7;

    @TempDir
    Path tmp;

    private static AdapterCheckpoint handBuilt(CayleyVariant variant) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int l = 0; l < C.length; l++) {
            for (int j = 0; j < MODULES.length; j++) {
                long in = MODULES[j].equals("mlp.down_proj") ? 24 : 16;
                t.put(AdapterSet.KEY_PREFIX + "model.layers." + l + "." + MODULES[j] + ".oft_R.weight",
                        torch.full(new long[] {in / 2, 1}, new Scalar(C[l] * (j + 1) / 4.0)));
            }
        }
        return new AdapterCheckpoint(new OftConfig(2, variant), TargetModules.ALL_LINEAR, t, "tiny");
    }

    private static void assertFactors(double[] alphas, RewindPlan plan, boolean sqrt) {
        assertEquals(C.length, plan.layers().size());
        for (int l = 0; l < C.length; l++) {
            LayerFactor f = plan.layers().get(l);
            assertEquals(l, f.layer());
            assertEquals(7, f.modules());
            assertEquals(alphas[l], f.alpha(), FP32, "alpha of layer " + l);
            assertEquals(sqrt ? Math.sqrt(alphas[l]) : alphas[l], f.factor(), FP32, "factor of layer " + l);
        }
    }

    @Test
    void safeRhoAveragesTheFirstFiveLayers() {
        // five of the six layers: the fraction 5/6 of the depth
        RewindOptions fiveOfSix = new RewindOptions(RewindStrategy.SAFE_RHO, 0.4, RotationStrength.FRO_Q, false, 5.0 / 6);
        RewindPlan plan = Rewinder.plan(handBuilt(CayleyVariant.NEUMANN_5), fiveOfSix, KERNELS);
        assertEquals(5, plan.referenceLayers());
        assertEquals(6, plan.depth());
        assertEquals(Math.sqrt(2) * 0.3, plan.rhoStar(), FP32, "rho* = sqrt(2) mean(0.1 .. 0.5)");
        for (int l = 0; l < C.length; l++) {
            assertEquals(Math.sqrt(2) * C[l], plan.layers().get(l).rho(), FP32);
        }
        assertFactors(new double[] {1, 1, 1, 0.75, 0.6, 0.3}, plan, false);
    }

    @Test
    void safeRhoAtTheStudysFractionOnASixLayerModelAveragesOneLayerAndWarns() {
        // 5/28 of 6 layers rounds to one reference layer: rho* is layer 0's strength alone
        RewindPlan plan = Rewinder.plan(handBuilt(CayleyVariant.NEUMANN_5), RewindOptions.of(RewindStrategy.SAFE_RHO), KERNELS);
        assertEquals(1, plan.referenceLayers());
        assertEquals(Math.sqrt(2) * 0.1, plan.rhoStar(), FP32, "rho* = sqrt(2) * 0.1, the first layer's");
        assertFactors(new double[] {1, 0.5, 1 / 3.0, 0.25, 0.2, 0.1}, plan, false);
        assertNotNull(plan.warning(), "one reference layer is too few for the recipe");
        assertTrue(plan.warning().contains("6-layer"), plan.warning());
        assertNull(Rewinder.plan(handBuilt(CayleyVariant.NEUMANN_5), RewindOptions.of(RewindStrategy.MIN_RHO), KERNELS)
                .warning(), "only SafeRho has a reference");
    }

    @Test
    void minRhoPullsEveryLayerToTheWeakest() {
        RewindOptions sqrt = new RewindOptions(RewindStrategy.MIN_RHO, 0.4, RotationStrength.FRO_Q, true, RewindOptions.DEFAULT_REFERENCE_FRACTION);
        RewindPlan plan = Rewinder.plan(handBuilt(CayleyVariant.NEUMANN_5), sqrt, KERNELS);
        assertEquals(Math.sqrt(2) * 0.1, plan.rhoStar(), FP32);
        assertFactors(new double[] {1, 0.5, 1 / 3.0, 0.25, 0.2, 0.1}, plan, true);
    }

    @Test
    void rotationDistanceFromTheIdentityMatchesTheClosedForm() {
        // exact Cayley of [[0, q], [-q, 0]]: normF(R - I)^2 = 8 q^2 / (1 + q^2) per block
        RewindOptions opt = new RewindOptions(RewindStrategy.MIN_RHO, 0.4, RotationStrength.FRO_R_MINUS_I, false, RewindOptions.DEFAULT_REFERENCE_FRACTION);
        RewindPlan plan = Rewinder.plan(handBuilt(CayleyVariant.EXACT), opt, KERNELS);
        for (int l = 0; l < C.length; l++) {
            double sum = 0;
            for (int j = 0; j < MODULES.length; j++) {
                double q = C[l] * (j + 1) / 4.0;
                long blocks = MODULES[j].equals("mlp.down_proj") ? 12 : 8;
                sum += Math.sqrt(blocks * 8 * q * q / (1 + q * q));
            }
            assertEquals(sum / MODULES.length, plan.layers().get(l).rho(), 2e-6, "layer " + l);
        }
        assertEquals(plan.layers().get(0).rho(), plan.rhoStar(), 0.0);
    }

    @Test
    void uniformScalesEveryGenerator() {
        AdapterCheckpoint a = handBuilt(CayleyVariant.NEUMANN_5);
        RewindPlan plan = Rewinder.plan(a, RewindOptions.of(RewindStrategy.UNIFORM), KERNELS);
        assertFactors(new double[] {0.4, 0.4, 0.4, 0.4, 0.4, 0.4}, plan, false);
        AdapterCheckpoint r = Rewinder.apply(a, plan);
        for (String k : a.tensors().keySet()) {
            assertEquals(0.0, PathFixtures.maxAbsDiff(r.tensors().get(k), a.tensors().get(k).mul(new Scalar(0.4))), k);
        }
    }

    @ParameterizedTest
    @EnumSource(RewindStrategy.class)
    void applyScalesEachLayerByItsFactor(RewindStrategy s) {
        AdapterCheckpoint a = handBuilt(CayleyVariant.NEUMANN_5);
        RewindPlan plan = Rewinder.plan(a, RewindOptions.of(s), KERNELS);
        AdapterCheckpoint r = Rewinder.apply(a, plan);
        for (int l = 0; l < C.length; l++) {
            String key = AdapterSet.KEY_PREFIX + "model.layers." + l + ".mlp.up_proj.oft_R.weight";
            double want = C[l] * 6 / 4.0 * plan.factor(l);
            assertEquals(want, r.tensors().get(key).max().item_double(), 1e-7, s + " layer " + l);
        }
    }

    @Test
    void layerWiseRewindingNeedsOftAndUniformWorksOnLora() {
        LlamaModel base = PathFixtures.model(1);
        AdapterCheckpoint lora = PathFixtures.adapter(base, new LoraConfig(2, 4), 3, 0.1);
        assertThrows(PathException.class, () -> Rewinder.plan(lora, RewindOptions.of(RewindStrategy.SAFE_RHO), KERNELS));
        RewindPlan plan = Rewinder.plan(lora, RewindOptions.of(RewindStrategy.UNIFORM), KERNELS);
        assertEquals(6, plan.layers().size());
        assertEquals(7, plan.layers().get(0).modules());
        AdapterCheckpoint r = Rewinder.apply(lora, plan);
        String b = AdapterSet.KEY_PREFIX + "model.layers.2.mlp.up_proj.lora_B.weight";
        assertEquals(0.0, PathFixtures.maxAbsDiff(r.tensors().get(b), lora.tensors().get(b).mul(new Scalar(0.4))));
        assertThrows(PathException.class, () -> RewindStrategy.parse("max-rho"));
        assertThrows(PathException.class, () -> new RewindOptions(RewindStrategy.UNIFORM, -0.1, RotationStrength.FRO_Q, false, RewindOptions.DEFAULT_REFERENCE_FRACTION));
        assertThrows(PathException.class, () -> new RewindOptions(RewindStrategy.SAFE_RHO, 0.4, RotationStrength.FRO_Q, false, 0));
        assertThrows(PathException.class, () -> new RewindOptions(RewindStrategy.SAFE_RHO, 0.4, RotationStrength.FRO_Q, false, 1.5));
    }

    @Test
    void exportWritesAnAdapterAndAMergedModelThatAgree() throws Exception {
        LlamaModel base = PathFixtures.model(5);
        Path baseDir = tmp.resolve("base");
        HfModelDirectory.save(base, baseDir);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4), 2, 0.2);
        RewindPlan plan = Rewinder.plan(oft, RewindOptions.of(RewindStrategy.SAFE_RHO), KERNELS);
        AdapterCheckpoint rewound = Rewinder.apply(oft, plan);
        RewindExport.write(base, baseDir, rewound, plan, tmp.resolve("out"));
        AdapterCheckpoint read = AdapterIO.load(tmp.resolve("out").resolve(RewindExport.ADAPTER_DIR));
        assertEquals(oft.config(), read.config());
        for (String k : rewound.tensors().keySet()) {
            assertEquals(0.0, PathFixtures.maxAbsDiff(read.tensors().get(k), rewound.tensors().get(k)), k);
        }
        LlamaModel model = HfModelDirectory.load(tmp.resolve("out").resolve(RewindExport.MODEL_DIR), ModelDType.FLOAT32);
        double d = PathFixtures.maxAbsDiff(PathFixtures.logits(model), PathFixtures.logits(PathFixtures.merged(base, rewound)));
        assertTrue(d <= 1e-6, "merged model differs by " + d);
        assertTrue(PathFixtures.sameWeights(base, PathFixtures.model(5)), "export leaves the base as it was");
        List<RewindOutcome> table = RewindEvaluator.evaluate(base, oft, RewindOptions.ARENA_TABLE, PathFixtures.lossScorer(), KERNELS);
        assertEquals(List.of("uniform 0.4", "safe-rho", "min-rho"), table.stream().map(o -> o.plan().options().label()).toList());
        ModelScores safe = table.get(1).scores();
        assertEquals(PathFixtures.lossScorer().score(model).target(), safe.target(), 1e-4);
        assertTrue(PathFixtures.sameWeights(base, PathFixtures.model(5)), "scoring leaves the base as it was");
    }
}
