package org.peftarena.arena.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.train.data.DataSplit;

class JavaSourceCorpusTest {
    @Test
    void readsTheJavaFilesOfTheSourcesJarWithoutLicenseHeaders() {
        JavaSourceCorpus c = JavaSourceCorpus.load();
        assertTrue(c.fileCount() >= 20, "commons-cli has about 25 source files, got " + c.fileCount());
        List<String> train = c.chunks(DataSplit.TRAIN);
        List<String> test = c.chunks(DataSplit.TEST);
        assertTrue(test.size() >= 5 && train.size() > 5 * test.size(), train.size() + " / " + test.size());
        for (String chunk : train) {
            assertFalse(chunk.contains("Licensed to the Apache Software Foundation"));
        }
        assertTrue(String.join("\n", train).contains("public class"));
        assertTrue(test.stream().noneMatch(train::contains));
    }

    @Test
    void licenseHeaderIsRemovedOnlyWhenItIsOne() {
        String lic = "/*\n * Licensed to the Apache Software Foundation (ASF)\n */\npackage a;\n";
        assertEquals("package a;\n", JavaSourceCorpus.withoutLicense(lic));
        assertEquals("/* other */\nclass A {}", JavaSourceCorpus.withoutLicense("/* other */\nclass A {}"));
    }

    @Test
    void chunksEndAtBlankLinesAfterTheLimitAndKeepEveryLine() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("int x").append(i).append(" = ").append(i).append(";\n").append(i % 5 == 4 ? "\n" : "");
        }
        List<String> chunks = JavaSourceCorpus.chunk(text.toString());
        assertTrue(chunks.size() > 1);
        for (int i = 0; i + 1 < chunks.size(); i++) {
            assertTrue(chunks.get(i).length() >= JavaSourceCorpus.CHUNK_CHARS - 1, "chunk " + i);
        }
        assertEquals(text.toString().replace("\n", ""), String.join("", chunks).replace("\n", ""));
    }

    @Test
    void missingMarkerIsAClearError() {
        assertTrue(assertThrows(ArenaDataException.class, () -> JavaSourceCorpus.fromJarOf("no/such/File.java"))
                .getMessage().contains("not found"));
    }
}
