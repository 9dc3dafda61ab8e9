package org.peftarena.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EuroparlCorpusTest {
    @Test
    void shippedCorpusHasTheFourArenaLanguagesInAllSplits() {
        EuroparlCorpus corpus = EuroparlCorpus.load();
        assertTrue(corpus.lines().size() > 17_000, "lines: " + corpus.lines().size());
        Map<String, Integer> counts = corpus.languageCounts();
        for (String lang : new String[] {"en", "fr", "es", "de"}) {
            int n = counts.getOrDefault(lang, 0);
            assertTrue(n > 1000 && n < 3000, lang + ": " + n);
            int validation = corpus.texts(lang, DataSplit.VALIDATION).size();
            int test = corpus.texts(lang, DataSplit.TEST).size();
            assertTrue(validation > 0.05 * n && validation < 0.15 * n, lang + " validation " + validation);
            assertTrue(test > 0.05 * n && test < 0.15 * n, lang + " test " + test);
        }
        assertTrue(corpus.texts("en", DataSplit.TRAIN).stream().noneMatch(t -> t.contains("  ") || t.endsWith("\uFFFD")));
    }

    @Test
    void parseSkipsMalformedLinesAndCleansBodies() throws IOException {
        @SuppressWarnings("StringConcatToTextBlock") // tabs and trailing spaces are significant
        String text = "Title\t2004-01-01\tThe vote will take place tomorrow   and that is the end of the \uFFFD\n"
                + "only two\tfields\n"
                + "Empty\t2004-01-02\t   \n"
                + "Titre\t2004-01-03\tLe vote aura lieu demain et nous le ferons pour la Commission.\n";
        EuroparlCorpus corpus = EuroparlCorpus.parse(new StringReader(text));
        assertEquals(2, corpus.lines().size());
        EuroparlLine first = corpus.lines().get(0);
        assertEquals("The vote will take place tomorrow and that is the end of the", first.body());
        assertEquals("en", first.language());
        assertEquals(DataSplit.of(first.body()), first.split());
        assertEquals("fr", corpus.lines().get(1).language());
    }
}
