package org.peftarena.peft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.pissa.PissaConfig;

/**
 * {@code adapter_config.json} values are read as they are written or refused naming the field: no string
 * becomes a default, no fraction an integer; the engine's method name in the metadata chooses only among the
 * methods HF PEFT's {@code peft_type} stands for.
 */
class AdapterConfigStrictnessTest {
    private static final String LORA = "{\"peft_type\": \"LORA\", \"target_modules\": [\"q_proj\"], ";
    private static final String OFT = "{\"peft_type\": \"OFT\", \"target_modules\": [\"q_proj\"], ";

    private static SafetensorsWriter weights(String... metadata) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .addFloats("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new long[] {1, 1}, new float[] {1});
        for (int i = 0; i < metadata.length; i += 2) {
            w.metadata(metadata[i], metadata[i + 1]);
        }
        return w;
    }

    private static AdapterFormatException refused(Path dir, String config, SafetensorsWriter w) throws Exception {
        HfAdapterReadTest.writeDir(dir, config, w);
        return assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "alpha as text       | LORA | \"r\": 4, \"lora_alpha\": \"abc\"}                 | 'lora_alpha' must be a number",
        "fractional rank     | LORA | \"r\": 4.7, \"lora_alpha\": 8}                     | 'r' must be an integer",
        "rank as text        | LORA | \"r\": \"4\", \"lora_alpha\": 8}                   | 'r' must be an integer",
        "dora flag as text   | LORA | \"r\": 4, \"use_dora\": \"yes\"}                    | 'use_dora' must be true or false",
        "rslora flag as 1    | LORA | \"r\": 4, \"use_rslora\": 1}                        | 'use_rslora' must be true or false",
        "rank pattern list   | LORA | \"r\": 4, \"rank_pattern\": [1]}                    | rank_pattern is not supported",
        "oft block fraction  | OFT  | \"oft_block_size\": 4.5}                           | 'oft_block_size' must be an integer",
        "oft neumann as text | OFT  | \"oft_block_size\": 4, \"use_cayley_neumann\": \"false\"} | 'use_cayley_neumann' must be true or false",
        "oft terms as text   | OFT  | \"oft_block_size\": 4, \"num_cayley_neumann_terms\": \"5\"} | 'num_cayley_neumann_terms' must be an integer",
    })
    void valuesAreNotCoerced(String label, String type, String fields, String expected, @TempDir Path dir) throws Exception {
        String message = refused(dir, ("LORA".equals(type) ? LORA : OFT) + fields, weights()).getMessage();
        assertTrue(message.contains(expected), label + ": " + message);
    }

    @Test
    void targetModulesMustBeNames(@TempDir Path dir) throws Exception {
        String message = refused(dir, "{\"peft_type\": \"LORA\", \"r\": 1, \"target_modules\": [1, 2]}", weights()).getMessage();
        assertTrue(message.contains("module names"), message);
    }

    @Test
    void exactValuesAreRead(@TempDir Path dir) throws Exception {
        HfAdapterReadTest.writeDir(dir, LORA + "\"r\": 4.0, \"lora_alpha\": 16, \"use_dora\": false}", weights());
        assertEquals(new LoraConfig(4, 16.0), AdapterIO.load(dir).config());
    }

    @Test
    void theMetadataNamesOnlyAMethodOfThePeftType(@TempDir Path dir) throws Exception {
        String key = PeftMethodProvider.METHOD_METADATA;
        assertTrue(refused(dir, LORA + "\"r\": 4}", weights(key, "oft")).getMessage().contains("peft_type"));
        assertTrue(refused(dir, OFT + "\"oft_block_size\": 4}", weights(key, "lora")).getMessage().contains("peft_type"));
        assertTrue(refused(dir, LORA + "\"r\": 4}", weights(key, "no-such-method")).getMessage().contains("no-such-method"));
        assertTrue(refused(dir, LORA + "\"r\": 4, \"use_dora\": true}", weights(key, "lora")).getMessage().contains("dora"));
        // several methods share LORA: the name chooses among them
        HfAdapterReadTest.writeDir(dir, LORA + "\"r\": 4}", weights(key, "pissa"));
        assertEquals(new PissaConfig(2), AdapterIO.load(dir).config());
        HfAdapterReadTest.writeDir(dir, LORA + "\"r\": 4}", weights(key, "lora"));
        assertEquals(new LoraConfig(4, LoraConfig.DEFAULT_ALPHA), AdapterIO.load(dir).config());
    }
}
