package org.peftarena.analysis.weights;

import org.peftarena.analysis.reference.DMatrixTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;

/** Adapters saved in HF PEFT layout come back as structured updates equal to their merged difference. */
class AdapterUpdatesTest {
    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String DOWN = "model.layers.0.mlp.down_proj";

    private static PeftConfig config(String method) {
        return switch (method) {
            case "lora" -> new LoraConfig(2, 4.0);
            case "oft-exact" -> new OftConfig(4, CayleyVariant.EXACT);
            case "oft-neumann" -> new OftConfig(4);
            default -> new Ia3Config();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora", "oft-exact", "oft-neumann", "ia3"})
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void structuredUpdateEqualsMergedDifference(String method, @TempDir Path tmp) throws Exception {
        Tensor wq = DMatrixTensors.of(DMatrix.gaussian(8, 12, 1), torch.ScalarType.Float);
        Tensor wd = DMatrixTensors.of(DMatrix.gaussian(12, 8, 2), torch.ScalarType.Float);
        Path baseFile = tmp.resolve("model.safetensors");
        new SafetensorsWriter().addFloats(Q + ".weight", new long[] {8, 12}, DMatrix.gaussian(8, 12, 1).toFloats())
                .addFloats(DOWN + ".weight", new long[] {12, 8}, DMatrix.gaussian(12, 8, 2).toFloats()).write(baseFile);
        List<BaseLinear> linears = new ArrayList<>(List.of(new BaseLinear(Q, wq.clone(), null),
                new BaseLinear(DOWN, wd.clone(), null)));
        AdapterSet set = AdapterSet.attach(config(method), TargetModules.ofNames(List.of("q_proj", "down_proj")), linears, 3);
        long seed = 10;
        try (NoGradGuard g = new NoGradGuard()) {
            for (AdapterLayer layer : set.layers().values()) {
                for (Tensor t : layer.trainable().values()) {
                    torch.manual_seed(seed++);
                    t.add_(torch.randn(t.sizes().vec().get()).mul(TensorMatrices.scalar(0.1)));
                }
            }
        }
        AdapterIO.save(set, tmp.resolve("adapter"), "base");
        set.merge();

        try (SafetensorsFile base = SafetensorsFile.open(baseFile)) {
            List<AdapterUpdates.ModuleUpdate> updates = AdapterUpdates.of(AdapterIO.load(tmp.resolve("adapter")), base,
                    m -> true);
            assertEquals(2, updates.size());
            for (AdapterUpdates.ModuleUpdate u : updates) {
                Tensor w1 = set.layer(u.module()).base().weight();
                Close.normwise(TensorMatrices.toDoubles(w1.sub(u.w0())), TensorMatrices.toDoubles(u.update().dense()),
                        1e-5, 1e-7, method + " " + u.module());
                switch (method) {
                    case "lora" -> assertInstanceOf(LowRankUpdate.class, u.update());
                    case "ia3" -> assertInstanceOf(DenseUpdate.class, u.update());
                    default -> assertInstanceOf(BlockRotationUpdate.class, u.update());
                }
                WeightDiagnostics fast = WeightAnalysis.analyse(BaseSpectrum.compute(u.w0()), u.update(), u.w0(),
                        WeightAnalysis.AlignmentMode.ALWAYS, AlignmentOptions.defaults());
                WeightDiagnostics slow = WeightAnalysis.dense(u.w0(), w1, true, AlignmentOptions.defaults());
                WeightAnalysisTest.assertSame(slow, fast, 1e-4);
                assertTrue(fast.alignment().isPresent());
            }
            List<AdapterUpdates.ModuleUpdate> onlyQ = AdapterUpdates.of(AdapterIO.load(tmp.resolve("adapter")), base,
                    m -> m.endsWith("q_proj"));
            assertEquals(List.of(Q), onlyQ.stream().map(AdapterUpdates.ModuleUpdate::module).toList());
            assertThrows(DiagnosticInputException.class,
                    () -> AdapterUpdates.of(AdapterIO.load(tmp.resolve("adapter")), base, m -> false));
        }
    }
}
