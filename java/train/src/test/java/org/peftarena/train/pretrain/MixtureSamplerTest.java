package org.peftarena.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.train.data.DataSplit;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class MixtureSamplerTest {
    private static final int LENGTH = 32;

    @Test
    void rowsAreWindowsOfTheStreamsAndAdditionRowsStartWithBos() {
        int[] english = ByteDocuments.concatenate(ByteDocuments.documents(List.of(
                "The sitting is opened and the minutes of the previous sitting are approved.",
                "Mr President, I would like to thank the rapporteur for the excellent report.")));
        List<int[]> addition = ByteDocuments.additionDocuments(new AdditionProblems(2).generate(50, 1, DataSplit.TRAIN));
        MixtureSampler sampler = new MixtureSampler(List.of(english), addition, 0.5, LENGTH, 9);
        long[] batch = sampler.nextBatch(64);
        assertEquals(64 * LENGTH, batch.length);
        String englishText = text(english, 0, english.length);
        int additionRows = 0;
        for (int r = 0; r < 64; r++) {
            int[] row = new int[LENGTH];
            for (int j = 0; j < LENGTH; j++) {
                row[j] = (int) batch[r * LENGTH + j];
            }
            if (row[0] == ByteTokenizer.BOS && text(row, 1, 4).matches("\\d.*")) {
                additionRows++;
            } else {
                assertTrue(englishText.contains(text(row, 0, LENGTH)), "row " + r + " is a window of the text");
            }
        }
        assertTrue(additionRows > 16 && additionRows < 48, "about half the rows are addition: " + additionRows);
        assertArrayEquals(batch, new MixtureSampler(List.of(english), addition, 0.5, LENGTH, 9).nextBatch(64),
                "same seed, same batch");
    }

    @Test
    void rejectsStreamsShorterThanARow() {
        assertThrows(IllegalArgumentException.class,
                () -> new MixtureSampler(List.of(new int[] {1, 2}), List.of(), 0.0, LENGTH, 1));
    }

    /** Renders ids as characters (specials as private-use characters) so windows can be searched as text. */
    private static String text(int[] ids, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append((char) (ids[i] < 256 ? ids[i] : 0xE000 + ids[i]));
        }
        return s.toString();
    }
}
