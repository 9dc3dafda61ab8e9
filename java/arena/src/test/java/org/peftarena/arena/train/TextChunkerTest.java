package org.peftarena.arena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.arena.data.ArenaDataException;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.train.data.PromptResponse;
import org.peftarena.arena.data.TextTaskData;
import org.peftarena.train.sft.SftExample;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class TextChunkerTest {
    private final ByteTokenizer tok = new ByteTokenizer();

    @ParameterizedTest
    @ValueSource(ints = {8, 20, 126})
    void piecesFitAndConcatenateBackToTheDocument(int max) {
        String doc = "Wir müssen die Kommission auffordern,  ihre Vorschläge\nzu überarbeiten. " .repeat(9);
        List<String> pieces = new TextChunker(tok, max).chunks(doc);
        for (String p : pieces) {
            assertTrue(tok.encode(p).length <= max || !p.contains(" "), p.length() + " > " + max + ": " + p);
        }
        assertEquals(doc.replaceAll("\\s+", ""), String.join("", pieces).replaceAll("\\s+", ""));
    }

    @Test
    void aWordLongerThanTheLimitBecomesItsOwnPiece() {
        assertEquals(List.of("a", "bbbbbbbbbbbb", "c"), new TextChunker(tok, 4).chunks("a bbbbbbbbbbbb c"));
    }

    @Test
    void examplesOfTextAndProblemTasks() {
        List<SftExample> text = TrainingExamples.of(new TextTaskData("t", List.of("one two three four five six"),
                List.of("x")), tok, 12);
        assertTrue(text.size() >= 2 && text.stream().allMatch(e -> e.prompt().isEmpty()));
        List<SftExample> problems = TrainingExamples.of(new ProblemTaskData("p", List.of(new PromptResponse("2*3=", "6")),
                List.of(new PromptResponse("1*1=", "1"))), tok, 12);
        assertEquals(List.of(new SftExample("2*3=", "6")), problems);
        assertThrows(ArenaDataException.class, () -> TrainingExamples.of(new ProblemTaskData("addition", List.of(),
                List.of(new PromptResponse("1+1=", "2"))), tok, 12));
    }
}
