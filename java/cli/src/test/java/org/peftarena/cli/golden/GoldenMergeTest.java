package org.peftarena.cli.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.cli.Main;
import org.peftarena.cli.golden.GoldenFixtures.Fixture;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/**
 * Adapters trained and written by our own {@code train} (fixtures under golden/adapters/: LoRA,
 * DoRA, OFT with the Cayley-Neumann series and with the exact Cayley transform, BOFT with two
 * butterfly factors), merged by our code and compared with merges computed by an independent
 * NumPy implementation of HF PEFT's definitions (benchmarks/golden/make_golden.py), in float64
 * and rounded once to float32.
 */
class GoldenMergeTest {
    /**
     * Tolerance on merged weight entries. Weights are at most ~0.16 in magnitude; our merge runs in
     * float32: LoRA/DoRA add a rank-4 product and (DoRA) rescale rows by a norm over 192 entries,
     * OFT/BOFT multiply by rotations built from 16x16 (4x4, two factors) blocks, each entry a short
     * float32 sum with relative error of order sqrt(16) * 2^-24, plus the exact Cayley transform's
     * solve. That is 1e-8 to 1e-7 absolute (measured: at most 8.2e-8, exact Cayley); 1e-6 leaves a
     * margin of ~10x, while the closest plausible mistakes (a 4- or 6-term series instead of 5,
     * alpha/r dropped, DoRA's norm of W0 instead of V, boft_s ignored, one butterfly factor, the
     * transposed rotation) move entries by 8e-3 or more, and a 1% error in the LoRA scale by 1.6e-4.
     */
    static final double WEIGHT_TOL = 1e-6;

    /** Logits of the adapted model; the reasoning of {@link GoldenForwardTest#LOGIT_TOL} applies. */
    static final double LOGIT_TOL = GoldenForwardTest.LOGIT_TOL;

    private static Fixture golden(String adapter) throws Exception {
        return GoldenFixtures.read(GoldenFixtures.DIR.resolve("merged").resolve(adapter + ".safetensors"));
    }

    private static List<String> modules(Fixture f) {
        List<String> names = new ArrayList<>(List.of(f.metadata().get("modules").split(",", 0)));
        assertEquals(2, names.size(), "fixture modules " + names);
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "dora", "oft-neumann", "oft-exact", "boft"})
    void mergedWeightsMatch(String adapter) throws Exception {
        Fixture golden = golden(adapter);
        LlamaModel model = GoldenFixtures.loadFloat32(GoldenFixtures.MODEL);
        AdapterCheckpoint ckpt = AdapterIO.load(GoldenFixtures.DIR.resolve("adapters").resolve(adapter));
        PeftModel pm = PeftModel.attach(model, ckpt.config(), ckpt.targets(), 0);
        pm.adapters().load(ckpt.tensors());
        assertEquals(modules(golden).stream().map(n -> n.substring(0, n.length() - ".weight".length())).toList(),
                List.copyOf(pm.adapters().layers().keySet()));
        pm.merge();
        for (String name : modules(golden)) {
            float[] expected = golden.floats(name);
            float[] actual = HostTensors.toFloats(model.weights().get(name));
            double err = GoldenFixtures.maxAbsDiff(expected, actual);
            System.out.printf("golden merge %s %s: max |weight error| %.3g (|W| <= %.3g)%n", adapter, name, err,
                    GoldenFixtures.maxAbs(expected));
            assertTrue(err <= WEIGHT_TOL, adapter + " " + name + ": max error " + err + " > " + WEIGHT_TOL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "dora", "oft-neumann", "oft-exact", "boft"})
    void adaptedLogitsMatchUnmergedAndMerged(String adapter) throws Exception {
        Fixture golden = golden(adapter);
        long[] ids = golden.longs("tokens");
        float[] expected = golden.floats("logits");
        LlamaModel model = GoldenFixtures.loadFloat32(GoldenFixtures.MODEL);
        AdapterCheckpoint ckpt = AdapterIO.load(GoldenFixtures.DIR.resolve("adapters").resolve(adapter));
        PeftModel pm = PeftModel.attach(model, ckpt.config(), ckpt.targets(), 0);
        pm.adapters().load(ckpt.tensors());
        // the adapter's own forward (input-centric rotation for OFT), as in training
        double unmerged = GoldenFixtures.maxAbsDiff(expected, GoldenFixtures.logits(model, ids));
        pm.merge();
        double merged = GoldenFixtures.maxAbsDiff(expected, GoldenFixtures.logits(model, ids));
        System.out.printf("golden adapted logits %s: max error unmerged %.3g, merged %.3g%n", adapter, unmerged, merged);
        assertTrue(unmerged <= LOGIT_TOL, adapter + " unmerged: max logit error " + unmerged);
        assertTrue(merged <= LOGIT_TOL, adapter + " merged: max logit error " + merged);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "dora", "oft-neumann", "oft-exact", "boft"})
    void mergeCommandWritesTheGoldenWeights(String adapter, @TempDir Path tmp) throws Exception {
        Fixture golden = golden(adapter);
        Path out = tmp.resolve("merged");
        int code = Main.commandLine().execute("merge", "--base", GoldenFixtures.MODEL.toString(), "--adapter",
                GoldenFixtures.DIR.resolve("adapters").resolve(adapter).toString(), "--out", out.toString());
        assertEquals(0, code);
        Fixture written = GoldenFixtures.read(out.resolve("model.safetensors"));
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
        for (String name : modules(golden)) {
            double err = GoldenFixtures.maxAbsDiff(golden.floats(name), written.floats(name));
            assertTrue(err <= WEIGHT_TOL, adapter + " " + name + ": max error " + err + " > " + WEIGHT_TOL);
        }
    }
}
