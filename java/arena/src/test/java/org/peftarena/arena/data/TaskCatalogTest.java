package org.peftarena.arena.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCatalogTest {
    private final TaskCatalog catalog = new TaskCatalog(Map.of(), 60, 5);

    @Test
    void europarlLanguagesAreTextWithDisjointSplits() {
        for (String lang : new String[] {"en", "fr", "es", "de"}) {
            TextTaskData d = (TextTaskData) catalog.task(lang);
            assertTrue(d.trainSize() > 800 && d.testSize() > 80, lang + ": " + d.trainSize() + " / " + d.testSize());
            assertTrue(d.test().stream().noneMatch(d.train()::contains), lang);
        }
    }

    @Test
    void everyBuiltInTaskHasAValidationSplitDisjointFromTrainAndTest() {
        for (String lang : new String[] {"en", "fr", "es", "de"}) {
            TextTaskData d = (TextTaskData) catalog.task(lang);
            assertTrue(d.validationSize() > 80, lang + ": " + d.validationSize());
            assertTrue(d.validation().stream().noneMatch(d.test()::contains), lang);
            assertTrue(d.validation().stream().noneMatch(d.train()::contains), lang);
        }
        for (String task : new String[] {"addition", "arith"}) {
            ProblemTaskData p = (ProblemTaskData) catalog.task(task);
            assertEquals(60, p.validationSize(), task);
            assertTrue(p.validation().stream().noneMatch(p.test()::contains), task);
            assertTrue(p.validation().stream().noneMatch(p.train()::contains), task);
        }
    }

    @Test
    void generatedProblemTasksAreDeterministic() {
        ProblemTaskData add = (ProblemTaskData) catalog.task("addition");
        assertEquals(60, add.testSize());
        assertEquals(0, add.trainSize(), "addition is a general task: never trained on");
        ProblemTaskData arith = (ProblemTaskData) catalog.task("arith");
        assertTrue(arith.trainSize() > 700 && arith.testSize() == 60, arith.trainSize() + " / " + arith.testSize());
        assertEquals(arith, new TaskCatalog(Map.of(), 60, 5).task("arith"));
        assertEquals(TaskKind.PROBLEMS, catalog.kind("arith"));
        assertEquals(TaskKind.TEXT, catalog.kind("code"));
    }

    @Test
    void unknownAndShadowingNamesAreRejected() {
        assertTrue(assertThrows(ArenaDataException.class, () -> catalog.task("klingon")).getMessage().contains("unknown"));
        assertThrows(ArenaDataException.class,
                () -> new TaskCatalog(Map.of("de", new TaskSource(TaskKind.TEXT, "x", null, null)), 10, 1));
    }
}
