package org.peftarena.analysis.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SafeRhoReferenceTest {
    private static final double STUDY = RewindOptions.DEFAULT_REFERENCE_FRACTION;

    @ParameterizedTest(name = "{0} layers -> {1} reference layers, warning {2}")
    @CsvSource({
        // the study: the first five of 28 layers
        "28, 5, false",
        // twice as deep: twice as many
        "56, 10, false",
        // 5/28 of 12 = 2.14: two layers, ten above them
        "12, 2, false",
        // 5/28 of 10 = 1.79 rounds to two
        "10, 2, false",
        // 5/28 of 8 = 1.43: one layer, a reference of one
        "8, 1, true",
        // the embedded model
        "4, 1, true",
        "1, 1, true"})
    void theStudysFractionScalesWithDepth(int depth, int reference, boolean warns) {
        assertEquals(reference, SafeRhoReference.layers(STUDY, depth));
        String w = SafeRhoReference.warning(STUDY, depth);
        assertEquals(warns, w != null, String.valueOf(w));
        if (warns) {
            assertTrue(w.contains(depth + "-layer model"), w);
        }
    }

    @Test
    void aReferenceCoveringTheModelLeavesNothingToPullBackAndWarns() {
        assertEquals(6, SafeRhoReference.layers(1.0, 6));
        assertNotNull(SafeRhoReference.warning(1.0, 6));
        assertNotNull(SafeRhoReference.warning(5, 6), "one layer above the reference");
        assertNull(SafeRhoReference.warning(4, 6));
    }

    @Test
    void aTinyFractionStillAveragesOneLayer() {
        assertEquals(1, SafeRhoReference.layers(0.001, 28));
        assertThrows(IllegalArgumentException.class, () -> SafeRhoReference.layers(STUDY, 0));
    }
}
