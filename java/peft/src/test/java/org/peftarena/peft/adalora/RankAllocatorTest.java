package org.peftarena.peft.adalora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.PeftException;

/** HF PEFT's AdaLoRA budget schedule, importance scores, masking and orthogonal regulariser against values worked out by hand. */
class RankAllocatorTest {
    private static Map<String, AdaLoraLayer> layers(int count, AdaLoraConfig config, long in, long out) {
        torch.manual_seed(3);
        Map<String, AdaLoraLayer> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String path = "model.layers." + i + ".mlp.up_proj";
            m.put(path, new AdaLoraLayer(new BaseLinear(path, torch.randn(out, in), null), config, 17 + i));
        }
        return m;
    }

    private static AdaLoraConfig schedule(int targetR, int initR, int tinit, int tfinal, int deltaT, double beta, int total) {
        return new AdaLoraConfig(targetR, initR, 8, tinit, tfinal, deltaT, beta, beta, 0.5, total);
    }

    /** Gives every parameter the gradient {@code g} through {@code sum(p * g)}. */
    private static void setGradients(AdaLoraLayer l, Tensor ga, Tensor ge, Tensor gb) {
        l.a().mul(ga).sum().add(l.e().mul(ge).sum()).add(l.b().mul(gb).sum()).backward();
    }

    private static void clearGradients(AdaLoraLayer l) {
        for (Tensor p : List.of(l.a(), l.e(), l.b())) {
            p.mutable_grad().reset();
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void fill(Tensor t, float[] v) {
        try (NoGradGuard g = new NoGradGuard()) {
            t.copy_(HostTensors.floats(v, t.sizes().vec().get()));
        }
    }

    @Test
    void cubicBudgetScheduleAtChosenSteps() {
        // 14 layers, init 3 -> 42 triplets, target 1 -> 14; budgeting phase from tinit=2 to total-tfinal=10
        RankAllocator r = new RankAllocator(schedule(1, 3, 2, 3, 2, 0.85, 13), layers(14, schedule(1, 3, 2, 3, 2, 0.85, 13), 4, 5));
        assertEquals(42, r.initBudget());
        assertEquals(14, r.targetBudget());
        assertEquals(new RankAllocator.Budget(42, false), r.budgetSchedule(0));
        assertEquals(new RankAllocator.Budget(42, false), r.budgetSchedule(2));
        // (1 - 1/8)^3 = 0.669921875; 28 * that = 18.7578125; + 14 -> 32 (odd step: no mask)
        assertEquals(new RankAllocator.Budget(32, false), r.budgetSchedule(3));
        // (1 - 2/8)^3 = 0.421875; 28 * that = 11.8125 -> 25
        assertEquals(new RankAllocator.Budget(25, true), r.budgetSchedule(4));
        // (1 - 3/8)^3 = 0.244140625; 28 * that = 6.8359375 -> 20
        assertEquals(new RankAllocator.Budget(20, false), r.budgetSchedule(5));
        assertEquals(new RankAllocator.Budget(14, true), r.budgetSchedule(10));
        assertEquals(new RankAllocator.Budget(14, true), r.budgetSchedule(11));
        assertEquals(new RankAllocator.Budget(14, true), r.budgetSchedule(13));
    }

    @Test
    void tripletScoreIsSensitivityTimesUncertaintyOfEAndMeansOfARowsAndBColumns() {
        AdaLoraConfig c = schedule(1, 2, 0, 0, 1, 0.5, 10);
        Map<String, AdaLoraLayer> one = layers(1, c, 2, 2);
        AdaLoraLayer l = one.values().iterator().next();
        fill(l.a(), new float[] {1, 1, 1, 1});
        fill(l.e(), new float[] {1, 1});
        fill(l.b(), new float[] {1, 1, 1, 1});
        RankAllocator r = new RankAllocator(c, one);
        setGradients(l, HostTensors.floats(new float[] {1, -3, 2, 2}, 2, 2), HostTensors.floats(new float[] {1, -2}, 2, 1),
                HostTensors.floats(new float[] {2, 1, 0, -1}, 2, 2));
        r.updateImportance();
        // one update from zero with beta 0.5: ema = ipt/2, unc = |ipt - ipt/2|/2 = ipt/4; element score ipt^2/8
        // triplet 0: (1 + mean(1, 9) + mean(4, 0)) / 8 = 1.0; triplet 1: (4 + mean(4, 4) + mean(1, 1)) / 8 = 1.125
        assertArrayEquals(new float[] {1.0f, 1.125f}, r.tripletScores().get(0), 1e-6f);
        // a second update with the same gradients: ema = 3 ipt/4, unc = (ipt/4)/2 + |ipt/4|/2 = ipt/4 -> ipt^2 * 3/16
        r.updateImportance();
        assertArrayEquals(new float[] {1.5f, 1.6875f}, r.tripletScores().get(0), 1e-6f);
    }

    @Test
    void maskingKeepsExactlyTheBudgetedTripletsWithTheHighestScores() {
        AdaLoraConfig c = schedule(2, 4, 0, 0, 1, 0.85, 100);
        Map<String, AdaLoraLayer> ls = layers(3, c, 5, 6);
        torch.manual_seed(9);
        for (AdaLoraLayer l : ls.values()) {
            fill(l.e(), HostTensors.toFloats(torch.randn(4)));
            setGradients(l, torch.randn(4, 5), torch.randn(4, 1), torch.randn(6, 4));
        }
        RankAllocator r = new RankAllocator(c, ls);
        r.updateImportance();
        List<float[]> scores = r.tripletScores();
        float[] all = new float[12];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(scores.get(i), 0, all, 4 * i, 4);
        }
        float[] sorted = all.clone();
        Arrays.sort(sorted);
        for (int budget : new int[] {11, 7, 6}) {
            Map<String, float[]> before = new LinkedHashMap<>();
            ls.forEach((p, l) -> before.put(p, HostTensors.toFloats(l.e())));
            Map<String, boolean[]> pattern = r.maskToBudget(budget);
            int kept = 0;
            int layer = 0;
            for (Map.Entry<String, AdaLoraLayer> e : ls.entrySet()) {
                boolean[] keep = pattern.get(e.getKey() + ".lora_E");
                assertArrayEquals(keep, e.getValue().rankPattern());
                float[] ev = HostTensors.toFloats(e.getValue().e());
                for (int t = 0; t < 4; t++) {
                    float s = scores.get(layer)[t];
                    assertEquals(s > sorted[12 - budget - 1], keep[t], "budget " + budget + " triplet " + t);
                    assertEquals(keep[t] ? before.get(e.getKey())[t] : 0f, ev[t], 0f);
                    kept += keep[t] ? 1 : 0;
                }
                layer++;
            }
            assertEquals(budget, kept, "triplets kept at budget " + budget);
        }
        // the whole initial budget masks nothing
        ls.values().forEach(l -> fill(l.e(), new float[] {1, 1, 1, 1}));
        r.maskToBudget(12);
        ls.values().forEach(l -> assertArrayEquals(new float[] {1, 1, 1, 1}, HostTensors.toFloats(l.e()), 0f));
    }

    @Test
    void theFinalMaskIsChosenAtTotalMinusTfinalAndStaysFixed() {
        AdaLoraConfig c = schedule(1, 3, 0, 2, 1, 0.85, 6);
        Map<String, AdaLoraLayer> ls = layers(2, c, 4, 4);
        RankAllocator r = new RankAllocator(c, ls);
        torch.manual_seed(4);
        boolean[][] fixed = new boolean[2][];
        for (int step = 0; step < 6; step++) {
            for (AdaLoraLayer l : ls.values()) {
                fill(l.e(), HostTensors.toFloats(torch.randn(3).abs().add(new org.bytedeco.pytorch.Scalar(0.1))));
                setGradients(l, torch.randn(3, 4), torch.randn(3, 1), torch.randn(4, 3));
            }
            int budget = r.updateAndAllocate(step);
            long kept = ls.values().stream().mapToLong(l -> countNonZero(l.e())).sum();
            if (step == 0) {
                assertEquals(6, kept, "step 0 is not after tinit: nothing is masked");
            } else {
                assertEquals(budget, kept, "step " + step);
            }
            if (step == 4) {
                assertEquals(2, budget);
                int i = 0;
                for (AdaLoraLayer l : ls.values()) {
                    fixed[i++] = l.rankPattern();
                }
            }
            if (step == 5) {
                int i = 0;
                for (AdaLoraLayer l : ls.values()) {
                    assertArrayEquals(fixed[i++], l.rankPattern(), "final-phase mask changed");
                }
            }
            ls.values().forEach(RankAllocatorTest::clearGradients);
        }
    }

    private static long countNonZero(Tensor t) {
        long n = 0;
        for (float v : HostTensors.toFloats(t)) {
            n += v != 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void orthogonalRegulariserOnHandBuiltMatrices() {
        AdaLoraConfig c = schedule(1, 2, 0, 0, 1, 0.85, 10);
        Map<String, AdaLoraLayer> one = layers(1, c, 2, 2);
        AdaLoraLayer l = one.values().iterator().next();
        fill(l.a(), new float[] {1, 0, 0, 2}); // A A^T - I = diag(0, 3): norm 3
        fill(l.b(), new float[] {1, 1, 0, 0}); // B^T B - I = [[0, 1], [1, 0]]: norm sqrt(2)
        double expected = (3 + Math.sqrt(2)) / 2;
        assertEquals(expected, AdaLoraTraining.orthogonalRegulariser(List.of(l)).item_double(), 1e-6);
        Map<String, org.peftarena.peft.AdapterLayer> adapted = new LinkedHashMap<>(one);
        assertEquals(0.5 * expected, new AdaLoraTraining(c, adapted).extraLoss().item_double(), 1e-6);
        AdaLoraConfig noReg = new AdaLoraConfig(1, 2, 8, 0, 0, 1, 0.85, 0.85, 0.0, 10);
        assertEquals(null, new AdaLoraTraining(noReg, adapted).extraLoss());
    }

    @Test
    void theAllocatorNeedsTheRunLengthAndAScheduleWithABudgetingPhase() {
        AdaLoraConfig unset = new AdaLoraConfig(1, 2);
        assertThrows(PeftException.class, () -> new RankAllocator(unset, layers(1, unset, 2, 2)));
        AdaLoraConfig c = new AdaLoraConfig(1, 2, 8, 5, 5, 1, 0.85, 0.85, 0.5);
        PeftException e = assertThrows(PeftException.class, () -> c.withTotalSteps(10));
        assertTrue(e.getMessage().contains("budgeting phase"), e.getMessage());
        assertEquals(11, c.withTotalSteps(11).totalStep());
    }
}
