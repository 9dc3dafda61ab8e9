package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.ProgressListener;

/** AdaLoRA through the trainer: the budget ends at target_r per layer and the written adapter records it as HF PEFT does. */
class AdaLoraSftTest {
    @Test
    void trainingPrunesToTheTargetBudgetAndWritesTheRankPattern(@TempDir Path out) throws Exception {
        AdaLoraConfig config = new AdaLoraConfig(2, 3);
        LlamaModel model = SftTrainerTest.model();
        SftResult r = SftTrainer.train(model, SftTrainerTest.batches(1), config, TargetModules.ALL_LINEAR,
                SftTrainerTest.options(30, 2e-2), new SftTrainer.Output(out, false, "tiny"), ProgressListener.NONE);
        assertEquals(30, r.model().config() instanceof AdaLoraConfig c ? c.totalStep() : -1);

        JsonNode json = new ObjectMapper().readTree(out.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertEquals(30, json.get("total_step").asInt());
        JsonNode pattern = json.get("rank_pattern");
        assertEquals(14, pattern.size(), "one entry per adapted layer");
        int kept = 0;
        for (JsonNode layer : pattern) {
            for (JsonNode b : layer) {
                kept += b.asBoolean() ? 1 : 0;
            }
        }
        // last step 29: (42 - 28) * (1/30)^3 < 1, so the budget is the target, 2 per layer
        assertEquals(28, kept);

        var tokens = org.peftarena.model.HostTensors.longs(new long[] {1, 2, 3, 4, 5, 6}, 1, 6);
        var expected = model.forward(tokens, null).detach().clone();
        AdapterCheckpoint ckpt = AdapterIO.load(out);
        LlamaModel fresh = SftTrainerTest.model();
        PeftModel loaded = PeftModel.attach(fresh, ckpt.config(), ckpt.targets(), 5);
        loaded.adapters().load(ckpt.tensors());
        var diff = fresh.forward(tokens, null).sub(expected).abs().max().item_double();
        assertTrue(diff < 1e-5, "reloaded adapter differs by " + diff);
    }

    @Test
    void aScheduleWithoutBudgetingPhaseIsRejectedBeforeTraining() {
        AdaLoraConfig config = new AdaLoraConfig(2, 3, 8, 20, 20, 1, 0.85, 0.85, 0.5);
        PeftException e = assertThrows(PeftException.class, () -> SftTrainer.train(SftTrainerTest.model(), SftTrainerTest.batches(1),
                config, TargetModules.ALL_LINEAR, SftTrainerTest.options(30, 2e-2), null, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("tinit"), e.getMessage());
    }
}
