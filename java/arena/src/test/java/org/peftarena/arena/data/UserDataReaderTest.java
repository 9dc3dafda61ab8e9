package org.peftarena.arena.data;

import org.peftarena.train.data.PromptResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserDataReaderTest {
    @TempDir
    Path tmp;

    @Test
    void problemsFromSeparateTrainAndTestFiles() throws Exception {
        @SuppressWarnings("StringConcatToTextBlock") // the blank line between records is the point of the test
        Path train = Files.writeString(tmp.resolve("train.jsonl"), "{\"prompt\": \"2+2=\", \"response\": \"4\"}\n\n"
                + "{\"prompt\": \"3+3=\", \"response\": \"6\", \"extra\": 1}\n");
        Path test = Files.writeString(tmp.resolve("test.jsonl"), "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n");
        TaskData d = UserDataReader.read("t", new TaskSource(TaskKind.PROBLEMS, null, train.toString(), test.toString()));
        ProblemTaskData p = (ProblemTaskData) d;
        assertEquals(List.of(new PromptResponse("2+2=", "4"), new PromptResponse("3+3=", "6")), p.train());
        assertEquals(List.of(new PromptResponse("1+1=", "2")), p.test());
    }

    @Test
    void textFromParagraphsJsonlAndDirectories() throws Exception {
        Path txt = Files.writeString(tmp.resolve("a.txt"), "first paragraph\nstill first\n\n  second  \n\n\nthird\n");
        assertEquals(List.of("first paragraph\nstill first", "second", "third"), UserDataReader.documents(txt));
        Path jsonl = Files.writeString(tmp.resolve("a.jsonl"), "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        assertEquals(List.of("one", "two"), UserDataReader.documents(jsonl));
        Path dir = Files.createDirectories(tmp.resolve("docs/sub"));
        Files.writeString(tmp.resolve("docs/b.txt"), "B");
        Files.writeString(dir.resolve("a.txt"), "A");
        assertEquals(List.of("B", "A"), UserDataReader.documents(tmp.resolve("docs")), "path order: docs/b.txt < docs/sub/a.txt");
    }

    @Test
    void singlePathIsHashSplit() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("document number ").append(i).append("\n\n");
        }
        Path f = Files.writeString(tmp.resolve("all.txt"), sb.toString());
        TextTaskData d = (TextTaskData) UserDataReader.read("t", new TaskSource(TaskKind.TEXT, f.toString(), null, null));
        assertTrue(d.trainSize() > 280 && d.testSize() > 20, d.trainSize() + " / " + d.testSize());
        assertTrue(d.test().stream().noneMatch(d.train()::contains));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid json      | {\"prompt\": \"a\"                       | bad.jsonl:1",
            "missing response  | {\"prompt\": \"a\"}                      | 'response'",
            "empty response    | {\"prompt\": \"a\", \"response\": \"\"}  | 'response'",
            "not an object     | [1]                                     | JSON object"})
    void malformedProblemFilesNameFileLineAndField(String name, String line, String expected) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.jsonl"), line + "\n");
        ArenaDataException e = assertThrows(ArenaDataException.class, () -> UserDataReader.problems(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void declarationsAndMissingFilesAreChecked() {
        assertThrows(ArenaDataException.class, () -> new TaskSource(TaskKind.TEXT, "a", "b", "c"));
        assertThrows(ArenaDataException.class, () -> new TaskSource(TaskKind.TEXT, null, "b", null));
        assertThrows(ArenaDataException.class, () -> new TaskSource(null, "a", null, null));
        assertTrue(assertThrows(ArenaDataException.class, () -> UserDataReader.documents(tmp.resolve("nope.txt")))
                .getMessage().contains("not found"));
        assertTrue(assertThrows(ArenaDataException.class, () -> UserDataReader.problems(tmp.resolve("x.txt")))
                .getMessage().contains("not found"));
    }
}
