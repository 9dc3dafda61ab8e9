package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlphaGridTest {
    @Test
    void rangesAreDecimalAndIncludeTheirEnd() {
        AlphaGrid g = AlphaGrid.parse("0:1:0.1");
        assertEquals(11, g.size());
        assertEquals(0.3, g.get(3));
        assertEquals(0.7, g.get(7));
        assertEquals(1.0, g.get(10));
        assertEquals(g, AlphaGrid.DEFAULT);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5), AlphaGrid.parse("0:1.6:0.5").values());
    }

    @Test
    void listsAreSortedAndDeduplicated() {
        assertEquals(List.of(0.0, 0.3, 1.0, 1.25), AlphaGrid.parse("1, 0.3,0,1.25,0.3").values());
        assertEquals(2, AlphaGrid.parse("1,0.30").indexOf(1.0) + 1);
        assertEquals("0.3", AlphaGrid.label(0.3));
        assertEquals("1", AlphaGrid.label(1.0));
        assertEquals("0", AlphaGrid.label(0.0));
    }

    @Test
    void badSpecsAreRejectedWithTheReason() {
        for (String bad : new String[] {"", "0:1", "1:0:0.1", "0:1:0", "a,b", "-0.5,1", "0:1000:0.1", "NaN"}) {
            assertThrows(PathException.class, () -> AlphaGrid.parse(bad), bad);
        }
    }
}
