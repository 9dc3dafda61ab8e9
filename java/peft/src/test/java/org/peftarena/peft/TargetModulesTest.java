package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetModulesTest {
    @Test
    void allLinearIsEveryBlockLinear() {
        assertEquals(TargetModules.ALL_LINEAR, TargetModules.parse("all-linear"));
        assertTrue(TargetModules.parse("all-linear").matches("model.layers.3.mlp.down_proj"));
    }

    @Test
    void commaListIsNamesMatchedAsSuffixes() {
        TargetModules t = TargetModules.parse("q_proj, v_proj");
        assertEquals(List.of("q_proj", "v_proj"), t.names());
        assertNull(t.regex());
        assertTrue(t.matches("model.layers.0.self_attn.q_proj"));
        assertTrue(t.matches("model.layers.1.self_attn.v_proj"));
        assertFalse(t.matches("model.layers.0.self_attn.k_proj"));
        assertEquals(List.of("self_attn.o_proj"), TargetModules.parse("self_attn.o_proj").names());
    }

    @Test
    void anythingElseIsAFullMatchRegex() {
        TargetModules t = TargetModules.parse(".*layers\\.0\\..*_proj");
        assertEquals(".*layers\\.0\\..*_proj", t.regex());
        assertTrue(t.matches("model.layers.0.mlp.up_proj"));
        assertFalse(t.matches("model.layers.10.mlp.up_proj"));
    }

    @Test
    void emptyOrInvalidIsRefusedWithTheForms() {
        assertTrue(assertThrows(PeftException.class, () -> TargetModules.parse(" ")).getMessage().contains("all-linear"));
        assertTrue(assertThrows(PeftException.class, () -> TargetModules.parse("(q_proj")).getMessage().contains("invalid regular expression"));
    }
}
