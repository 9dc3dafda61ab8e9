package org.peftarena.peft.oft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftException;

/** OFT's one Cayley variant against HF PEFT's two settings and the command line's two options. */
class OftConfigCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OftMethod OFT = new OftMethod();

    private static ObjectNode written(OftConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
        OFT.writeConfig(c, o);
        return o;
    }

    @Test
    void hfSettingsAreWrittenFromTheVariantAndReadBackToIt() {
        ObjectNode exact = written(new OftConfig(4, CayleyVariant.EXACT));
        assertEquals(false, exact.get("use_cayley_neumann").asBoolean());
        assertEquals(OftConfig.DEFAULT_NEUMANN_TERMS, exact.get("num_cayley_neumann_terms").asInt());
        ObjectNode seven = written(new OftConfig(8, CayleyVariant.neumannSeries(7)));
        assertTrue(seven.get("use_cayley_neumann").asBoolean());
        assertEquals(7, seven.get("num_cayley_neumann_terms").asInt());
        assertEquals(8, seven.get("oft_block_size").asInt());
        for (OftConfig c : new OftConfig[] {new OftConfig(4, CayleyVariant.EXACT), new OftConfig(8, CayleyVariant.neumannSeries(7)),
                new OftConfig()}) {
            assertEquals(c, OFT.readConfig(written(c), Map.of()));
        }
    }

    @Test
    void hfSettingsNameTheVariant() {
        ObjectNode o = MAPPER.createObjectNode().put("oft_block_size", 4).put("use_cayley_neumann", false)
                .put("num_cayley_neumann_terms", 9);
        assertEquals(new OftConfig(4, CayleyVariant.EXACT), OFT.readConfig(o, Map.of()));
        o.put("use_cayley_neumann", true);
        assertEquals(CayleyVariant.neumannSeries(9), OFT.readConfig(o, Map.of()).variant());
        o.remove("use_cayley_neumann");
        o.remove("num_cayley_neumann_terms");
        assertEquals(CayleyVariant.NEUMANN_5, OFT.readConfig(o, Map.of()).variant(), "HF PEFT's defaults");
        o.put("num_cayley_neumann_terms", 1);
        PeftException e = assertThrows(PeftException.class, () -> OFT.readConfig(o, Map.of()));
        assertTrue(e.getMessage().startsWith("oft: Neumann terms must lie in [2, "), e.getMessage());
    }

    @Test
    void commandLineVariantAndTermsMakeOneVariant() {
        MethodOptions none = MethodOptions.DEFAULTS;
        assertEquals(new OftConfig(OftConfig.DEFAULT_BLOCK_SIZE, CayleyVariant.NEUMANN_5), OFT.configFor(none));
        assertEquals(CayleyVariant.neumannSeries(7), OFT.configFor(none.with(OftMethod.NEUMANN_TERMS, 7)).variant());
        MethodOptions exact = none.with(OftMethod.CAYLEY, CayleyVariant.EXACT).with(MethodOption.BLOCK_SIZE, 8);
        assertEquals(new OftConfig(8, CayleyVariant.EXACT), OFT.configFor(exact));
        assertEquals(CayleyVariant.EXACT, OFT.configFor(exact.with(OftMethod.NEUMANN_TERMS, 7)).variant());
        assertThrows(PeftException.class, () -> OFT.configFor(exact.with(OftMethod.NEUMANN_TERMS, KernelLimits.CAYLEY_MAX_NEUMANN_TERMS + 1)));
        assertThrows(PeftException.class, () -> new OftConfig(4, CayleyVariant.neumannSeries(1)));
    }
}
