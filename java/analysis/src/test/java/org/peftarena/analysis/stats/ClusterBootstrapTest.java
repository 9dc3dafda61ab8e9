package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.stats.ClusterBootstrap.Clusters;

class ClusterBootstrapTest {
    private static final ClusterBootstrap MANY = new ClusterBootstrap(40_000, 7);

    @Test
    void twoClustersMatchTheExactBootstrapDistribution() {
        // resampling {0/1, 1/1} twice: 0% (1/4), 50% (1/2), 100% (1/4): SD = sqrt(1250) = 35.36
        double se = MANY.standardError(new Clusters(new int[] {0, 1}, new int[] {1, 1}));
        assertEquals(Math.sqrt(1250), se, 0.5);
    }

    @Test
    void clustersNotTokensSetTheError() {
        // 4 documents of 100 tokens, all-or-nothing: the error is that of 4 coin flips (25 points),
        // not that of 400 tokens (2.5 points)
        Clusters docs = new Clusters(new int[] {100, 0, 100, 0}, new int[] {100, 100, 100, 100});
        double se = MANY.standardError(docs);
        assertEquals(50 / Math.sqrt(4), se, 0.5);
        Clusters tokens = new Clusters(new int[] {50, 50, 50, 50}, new int[] {100, 100, 100, 100});
        assertEquals(0, MANY.standardError(tokens), 1e-9, "identical clusters do not vary");
    }

    @Test
    void meanOverTasksResamplesEachTaskIndependently() {
        Clusters a = new Clusters(new int[] {100, 0, 100, 0}, new int[] {100, 100, 100, 100});
        Clusters flat = new Clusters(new int[] {30, 30}, new int[] {100, 100});
        // mean of a varying task and a constant one: half the varying task's error
        assertEquals(25.0 / 2, MANY.standardError(List.of(a, flat)), 0.3);
        // two independent equal tasks: error / sqrt(2)
        assertEquals(25.0 / Math.sqrt(2), MANY.standardError(List.of(a, a)), 0.4);
    }

    @Test
    void pairingCancelsWhatBothModelsShare() {
        Clusters base = new Clusters(new int[] {90, 10, 80, 20, 70, 30}, new int[] {100, 100, 100, 100, 100, 100});
        Clusters shifted = new Clusters(new int[] {95, 15, 85, 25, 75, 35}, new int[] {100, 100, 100, 100, 100, 100});
        // the same document effects plus a constant 5 points: the paired difference does not vary
        assertEquals(0, MANY.pairedStandardError(List.of(base), List.of(shifted)), 1e-9);
        double unpaired = Math.hypot(MANY.standardError(base), MANY.standardError(shifted));
        assertTrue(unpaired > 15, "unpaired error " + unpaired); // 12.7 each (document SD 31 points, n = 6)
        assertEquals(0, MANY.pairedStandardError(List.of(base), List.of(base)), 1e-9);
    }

    @Test
    void seededAndChecked() {
        Clusters c = new Clusters(new int[] {3, 1, 4, 1, 5}, new int[] {9, 2, 6, 5, 8});
        assertEquals(ClusterBootstrap.defaults().standardError(c), ClusterBootstrap.defaults().standardError(c));
        assertThrows(IllegalArgumentException.class, () -> new Clusters(new int[] {2}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Clusters(new int[] {}, new int[] {}));
        assertThrows(IllegalArgumentException.class, () -> MANY.pairedStandardError(List.of(c),
                List.of(new Clusters(new int[] {1}, new int[] {1}))));
    }
}
