package org.peftarena.cli.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.cli.golden.GoldenFixtures.Fixture;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/**
 * Our forward and merges against Hugging Face {@code transformers} ({@code LlamaForCausalLM}) and
 * {@code peft} ({@code merge_and_unload}) on the same shipped model, prompts and adapters written by
 * our own {@code train} as the NumPy goldens. The files are produced by benchmarks/gpu/hf_goldens.py
 * (part of benchmarks/gpu/check.sh) where transformers and peft are installed, and committed under
 * golden/hf/ (made on an H200 with transformers 5.17.0, peft 0.21.0, torch 2.11.0, 2026-12-04;
 * benchmarks/results/gpu-check-2026-12-04.md). A missing file fails the test: the goldens cannot be
 * remade on a machine without those libraries, so losing them must not pass silently.
 */
class HfGoldenTest {
    static final Path HF = GoldenFixtures.DIR.resolve("hf");
    static final String MISSING = "HF transformers/peft golden files are missing (" + HF
            + "/model_logits.safetensors): run `bash benchmarks/gpu/check.sh` on a machine with"
            + " transformers and peft, then copy $OUT/hf-goldens/ to java/cli/src/test/resources/golden/hf/";

    private static Fixture hf(String file) throws Exception {
        return GoldenFixtures.read(HF.resolve(file));
    }

    @BeforeEach
    void goldensPresent() {
        assertTrue(Files.isRegularFile(HF.resolve("model_logits.safetensors")), MISSING);
    }

    @ParameterizedTest(name = "prompt {0}")
    @ValueSource(ints = {0, 1, 2})
    void logitsMatchTransformers(int i) throws Exception {
        Fixture golden = hf("model_logits.safetensors");
        Fixture numpy = GoldenFixtures.read(GoldenFixtures.DIR.resolve("model_logits.safetensors"));
        long[] ids = golden.longs("tokens." + i);
        assertArrayEquals(numpy.longs("tokens." + i), ids, "same prompts as the NumPy goldens");
        LlamaModel model = GoldenFixtures.loadFloat32(GoldenFixtures.MODEL);
        double err = GoldenFixtures.maxAbsDiff(golden.floats("logits." + i), GoldenFixtures.logits(model, ids));
        System.out.printf("HF golden forward prompt %d: max |logit error| %.3g%n", i, err);
        assertTrue(err <= GoldenForwardTest.LOGIT_TOL, "prompt " + i + ": max logit error " + err);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "dora", "oft-neumann", "oft-exact", "boft"})
    void mergesAndAdaptedLogitsMatchPeft(String adapter) throws Exception {
        Path file = HF.resolve("merged").resolve(adapter + ".safetensors");
        assertTrue(Files.isRegularFile(file), "HF goldens are incomplete: " + file + " is missing");
        Fixture golden = GoldenFixtures.read(file);
        List<String> modules = List.of(golden.metadata().get("modules").split(",", 0));
        assertEquals(2, modules.size(), "fixture modules " + modules);
        long[] ids = golden.longs("tokens");
        LlamaModel model = GoldenFixtures.loadFloat32(GoldenFixtures.MODEL);
        AdapterCheckpoint ckpt = AdapterIO.load(GoldenFixtures.DIR.resolve("adapters").resolve(adapter));
        PeftModel pm = PeftModel.attach(model, ckpt.config(), ckpt.targets(), 0);
        pm.adapters().load(ckpt.tensors());
        double unmerged = GoldenFixtures.maxAbsDiff(golden.floats("logits"), GoldenFixtures.logits(model, ids));
        pm.merge();
        for (String name : modules) {
            double err = GoldenFixtures.maxAbsDiff(golden.floats(name), HostTensors.toFloats(model.weights().get(name)));
            System.out.printf("HF golden merge %s %s: max |weight error| %.3g%n", adapter, name, err);
            assertTrue(err <= GoldenMergeTest.WEIGHT_TOL, adapter + " " + name + ": max error " + err);
        }
        double merged = GoldenFixtures.maxAbsDiff(golden.floats("logits"), GoldenFixtures.logits(model, ids));
        System.out.printf("HF golden adapted logits %s: unmerged %.3g, merged %.3g%n", adapter, unmerged, merged);
        assertTrue(unmerged <= GoldenMergeTest.LOGIT_TOL, adapter + " unmerged: max logit error " + unmerged);
        assertTrue(merged <= GoldenMergeTest.LOGIT_TOL, adapter + " merged: max logit error " + merged);
    }
}
