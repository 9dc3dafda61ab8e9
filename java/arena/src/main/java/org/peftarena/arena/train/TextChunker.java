package org.peftarena.arena.train;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.peftarena.formats.tokenizer.TextTokenizer;

/**
 * Cuts documents into pieces that fit a training sequence: pieces end at whitespace (the text is
 * split after each whitespace run, so the pieces concatenate back to the document) and hold at
 * most {@code maxTokens} tokens, counted per word with the model's tokenizer. A single word longer
 * than the limit becomes a piece of its own (training truncates it).
 */
public final class TextChunker {
    private static final Pattern AFTER_WHITESPACE = Pattern.compile("(?<=\\s)(?=\\S)");

    private final TextTokenizer tokenizer;
    private final int maxTokens;

    /**
     * @param tokenizer the model's tokenizer
     * @param maxTokens most tokens per piece, >= 1
     */
    public TextChunker(TextTokenizer tokenizer, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /** The pieces of one document, in order; blank pieces are dropped. */
    public List<String> chunks(String document) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int curTokens = 0;
        for (String word : AFTER_WHITESPACE.split(document, 0)) {
            int n = tokenizer.encode(word).length;
            if (curTokens > 0 && curTokens + n > maxTokens) {
                add(out, cur);
                cur.setLength(0);
                curTokens = 0;
            }
            cur.append(word);
            curTokens += n;
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder piece) {
        String s = piece.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
