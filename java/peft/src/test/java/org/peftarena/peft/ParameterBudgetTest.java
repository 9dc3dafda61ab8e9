package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.peft.adalora.AdaLoraMethod;
import org.peftarena.peft.lora.LoraMethod;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftMethod;

class ParameterBudgetTest {
    static ModelShape qwen7b() throws URISyntaxException {
        return ModelShapeReader.read(Path.of(ParameterBudgetTest.class.getResource("/model-configs/qwen2.5-7b.json").toURI()));
    }

    static MethodOptions rank(int r) {
        return MethodOptions.DEFAULTS.with(MethodOption.RANK, r);
    }

    static MethodOptions block(int b) {
        return MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, b);
    }

    /** The reference counts of the methods contract, plus closed forms for the other methods. */
    static Stream<Arguments> qwenReference() {
        // per-layer sums for Qwen2.5-7B: sum(in) = 44800, sum(out) = 49664, 28 layers
        long sumIn = 3584L * 6 + 18944;
        long sumOut = 3584L + 512 + 512 + 3584 + 18944 + 18944 + 3584;
        return Stream.of(
                Arguments.of("oft", block(16), 8_494_080L),
                Arguments.of("oft", block(32), 17_554_432L),
                Arguments.of("oft", block(64), 35_675_136L),
                Arguments.of("oft", block(128), 71_916_544L),
                Arguments.of("lora", rank(8), 20_185_088L),
                Arguments.of("dora", rank(8), 21_575_680L),
                Arguments.of("adalora", rank(8).with(AdaLoraMethod.INIT_R, 12), 30_279_984L),
                Arguments.of("adalora", rank(8), 30_279_984L),
                Arguments.of("miss", rank(8), 11_124_736L),
                Arguments.of("vera", rank(256), 1_440_768L),
                Arguments.of("ia3", MethodOptions.DEFAULTS, 1_820_672L),
                Arguments.of("pissa", rank(8), 20_185_088L),
                Arguments.of("milora", rank(16), 2 * 20_185_088L),
                Arguments.of("keeplora", rank(8), 28L * 8 * sumOut),
                Arguments.of("hra", rank(8), 28L * 8 * sumIn),
                Arguments.of("boft", block(32), 28L * (sumIn * 32 + sumOut)),
                // every block parameter: 7 weights, q/k/v biases, two norms
                Arguments.of("full", MethodOptions.DEFAULTS,
                        28L * (3584L * 3584 * 2 + 512L * 3584 * 2 + 3L * 18944 * 3584 + 3584 + 512 + 512 + 2 * 3584)));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("qwenReference")
    void qwen7bCountsMatchReference(String method, MethodOptions options, long expected) throws Exception {
        PeftConfig config = options.configFor(PeftMethod.parse(method));
        BudgetReport r = ParameterBudget.count(qwen7b(), config, TargetModules.ALL_LINEAR);
        assertEquals(expected, r.total());
        assertEquals(r.total(), r.perModule().values().stream().mapToLong(Long::longValue).sum() + r.blockExtra());
    }

    @Test
    void perModuleBreakdownOfLora() throws Exception {
        BudgetReport r = ParameterBudget.count(qwen7b(), rank(8).configFor(LoraMethod.ID), TargetModules.ALL_LINEAR);
        assertEquals(28L * 8 * (3584 + 512), r.perModule().get("k_proj"));
        assertEquals(28L * 8 * (18944 + 3584), r.perModule().get("down_proj"));
        assertEquals(7 * 28, r.targetedModules());
    }

    @Test
    void regexTargetsRestrictTheCount() throws Exception {
        BudgetReport r = ParameterBudget.count(qwen7b(), rank(8).configFor(LoraMethod.ID),
                TargetModules.ofRegex(".*\\.(q_proj|v_proj)"));
        assertEquals(28L * 8 * (3584 + 3584 + 3584 + 512), r.total());
        assertEquals(2, r.perModule().size());
    }

    @Test
    void unmatchedTargetsAreAnError() throws Exception {
        PeftException e = assertThrows(PeftException.class, () -> ParameterBudget.count(qwen7b(),
                MethodOptions.DEFAULTS.configFor(LoraMethod.ID), TargetModules.ofNames(java.util.List.of("c_attn"))));
        assertTrue(e.getMessage().contains("c_attn"), e.getMessage());
    }

    @Test
    void oftBlockSizeThatDoesNotDivideIsAdjustedWithANote() throws Exception {
        // 3584 = 2^9 * 7 and 18944 = 2^9 * 37: 48 divides neither; the nearest divisors are 56 and 37
        BudgetReport r = ParameterBudget.count(qwen7b(), block(48).configFor(OftMethod.ID), TargetModules.ALL_LINEAR);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("3584") && n.contains("using 56")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("18944") && n.contains("using 37")), r.notes().toString());
    }

    @Test
    void matchBudgetFindsTheReferenceSizes() throws Exception {
        ModelShape q = qwen7b();
        assertEquals(32, BudgetMatcher.match(q, PeftMethod.parse("oft").defaultConfig(), TargetModules.ALL_LINEAR, 17_554_432L).config().size());
        assertEquals(32, BudgetMatcher.match(q, PeftMethod.parse("oft").defaultConfig(), TargetModules.ALL_LINEAR, 18_000_000L).config().size());
        assertEquals(8, BudgetMatcher.match(q, PeftMethod.parse("lora").defaultConfig(), TargetModules.ALL_LINEAR, 20_185_088L).config().size());
        // 17.5M sits between LoRA r6 (15.1M) and r7 (17.66M): r7 is closer
        assertEquals(7, BudgetMatcher.match(q, PeftMethod.parse("lora").defaultConfig(), TargetModules.ALL_LINEAR, 17_554_432L).config().size());
        assertEquals(256, BudgetMatcher.match(q, PeftMethod.parse("vera").defaultConfig(), TargetModules.ALL_LINEAR, 1_440_768L).config().size());
        assertThrows(PeftException.class, () -> BudgetMatcher.match(q, PeftMethod.parse("ia3").defaultConfig(), TargetModules.ALL_LINEAR, 1000));
    }

    @Test
    void inapplicableOptionsAreRejected() {
        assertThrows(PeftException.class, () -> block(32).configFor(LoraMethod.ID));
        assertThrows(PeftException.class, () -> rank(8).configFor(OftMethod.ID));
        assertThrows(PeftException.class, () -> MethodOptions.DEFAULTS.with(OftMethod.CAYLEY, CayleyVariant.EXACT).configFor(LoraMethod.ID));
        assertThrows(UnknownMethodException.class, () -> PeftMethod.parse("qlora"));
    }

    /** The command line shows these messages; they name the methods that accept each setting. */
    @Test
    void inapplicableOptionMessages() {
        assertEquals("--block-size does not apply to lora", assertThrows(PeftException.class,
                () -> block(32).configFor(LoraMethod.ID)).getMessage());
        assertEquals("--rank does not apply to oft (use --block-size)", assertThrows(PeftException.class,
                () -> rank(8).configFor(OftMethod.ID)).getMessage());
        assertEquals("--rank does not apply to ia3", assertThrows(PeftException.class,
                () -> rank(8).configFor(PeftMethod.parse("ia3"))).getMessage());
        assertEquals("--init-r applies to adalora only", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(AdaLoraMethod.INIT_R, 4).configFor(LoraMethod.ID)).getMessage());
        assertEquals("--alpha applies to lora, dora and adalora only", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(LoraMethod.ALPHA, 4.0).configFor(OftMethod.ID)).getMessage());
        assertEquals("Cayley settings apply to oft only", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(OftMethod.NEUMANN_TERMS, 4).configFor(LoraMethod.ID)).getMessage());
        assertEquals("--butterfly-factors applies to boft only", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(org.peftarena.peft.boft.BoftMethod.BUTTERFLY_FACTORS, 2).configFor(OftMethod.ID))
                .getMessage());
        assertEquals("--tinit, --tfinal, --delta-t and --orth-reg-weight apply to adalora only", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(AdaLoraMethod.TFINAL, 2).configFor(LoraMethod.ID)).getMessage());
        assertEquals("unknown PEFT method 'qlora'; known: full, lora, dora, pissa, milora, adalora, keeplora, miss, vera, ia3,"
                + " oft, boft, hra", assertThrows(UnknownMethodException.class, () -> PeftMethod.parse("qlora")).getMessage());
    }

    @Test
    void adaLoraScheduleOverridesApplyToAdaLoraOnly() {
        org.peftarena.peft.adalora.AdaLoraSchedule schedule =
                new org.peftarena.peft.adalora.AdaLoraSchedule(10, 20, 5, 0.1);
        MethodOptions options = rank(4).with(AdaLoraMethod.TINIT, schedule.tinit()).with(AdaLoraMethod.TFINAL, schedule.tfinal())
                .with(AdaLoraMethod.DELTA_T, schedule.deltaT()).with(AdaLoraMethod.ORTH_REG_WEIGHT, schedule.orthRegWeight());
        org.peftarena.peft.adalora.AdaLoraConfig c =
                (org.peftarena.peft.adalora.AdaLoraConfig) options.configFor(AdaLoraMethod.ID);
        org.junit.jupiter.api.Assertions.assertEquals(10, c.tinit());
        org.junit.jupiter.api.Assertions.assertEquals(20, c.tfinal());
        org.junit.jupiter.api.Assertions.assertEquals(5, c.deltaT());
        org.junit.jupiter.api.Assertions.assertEquals(0.1, c.orthRegWeight(), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(4, c.targetR());
        org.peftarena.peft.adalora.AdaLoraConfig defaults = (org.peftarena.peft.adalora.AdaLoraConfig)
                rank(4).configFor(AdaLoraMethod.ID);
        org.junit.jupiter.api.Assertions.assertEquals(new org.peftarena.peft.adalora.AdaLoraConfig().withSize(4), defaults);
        assertThrows(PeftException.class, () -> options.configFor(LoraMethod.ID));
        assertThrows(PeftException.class, () -> MethodOptions.DEFAULTS.with(AdaLoraMethod.DELTA_T, 0).configFor(AdaLoraMethod.ID));
    }
}
