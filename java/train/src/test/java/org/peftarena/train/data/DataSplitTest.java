package org.peftarena.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DataSplitTest {
    /** Buckets computed independently: int.from_bytes(sha256(s)[:8], "big") % 100 in Python. */
    @ParameterizedTest
    @CsvSource({"hello, 42, TRAIN", "12+345=, 82, VALIDATION", "Europarl, 79, TRAIN"})
    void bucketIsTheDocumentedHash(String text, int bucket, DataSplit split) {
        assertEquals(bucket, DataSplit.bucket(text));
        assertEquals(split, DataSplit.of(text));
    }

    @Test
    void proportionsAreAboutEightyTenTen() {
        Map<DataSplit, Integer> counts = new EnumMap<>(DataSplit.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(DataSplit.of("item " + i), 1, Integer::sum);
        }
        assertEquals(0.8, counts.get(DataSplit.TRAIN) / (double) n, 0.015);
        assertEquals(0.1, counts.get(DataSplit.VALIDATION) / (double) n, 0.01);
        assertEquals(0.1, counts.get(DataSplit.TEST) / (double) n, 0.01);
        assertTrue(DataSplit.of("same text") == DataSplit.of("same text"));
    }
}
