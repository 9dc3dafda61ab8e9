package org.peftarena.arena.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text scores read documents drawn across the whole test split, from the evaluation seed. */
class DocumentSamplingTest {
    private static final EvaluationSettings SEEDED = new EvaluationSettings(4096, 10, 0, 4, 1234, 0);

    @Test
    void seededOrderCoversTheWholeSplitAndRepeats() {
        List<Integer> order = TaskEvaluator.scoringOrder(200, SEEDED, "de");
        assertEquals(200, new HashSet<>(order).size(), "a permutation of the split");
        assertEquals(order, TaskEvaluator.scoringOrder(200, SEEDED, "de"), "the same for every model and run");
        List<Integer> first = order.subList(0, 20);
        assertTrue(first.stream().anyMatch(i -> i >= 100), "the first documents scored come from all over the "
                + "split: " + first);
        assertTrue(first.stream().filter(i -> i < 20).count() < 10, first.toString());
        assertNotEquals(order, TaskEvaluator.scoringOrder(200, SEEDED, "fr"), "each task draws its own");
        EvaluationSettings other = new EvaluationSettings(4096, 10, 0, 4, 99, 0);
        assertNotEquals(order, TaskEvaluator.scoringOrder(200, other, "de"), "another seed, other documents");
    }

    @Test
    void inOrderKeepsFileOrderAndTheSettingIsChecked() {
        EvaluationSettings inOrder = new EvaluationSettings(4096, 10, 0, 4, 1234, 0, EvaluationSettings.IN_ORDER);
        assertEquals(List.of(0, 1, 2, 3, 4), TaskEvaluator.scoringOrder(5, inOrder, "de"));
        assertEquals(EvaluationSettings.SEEDED, SEEDED.sampling(), "seeded is the default");
        assertThrows(IllegalArgumentException.class, () -> new EvaluationSettings(4096, 10, 0, 4, 1, 0, "random"));
    }
}
