package org.peftarena.arena.eval;

import org.peftarena.formats.tokenizer.TextTokenizer;

/** Turns a text into one document of token ids: BOS (if the tokenizer has one), the text, EOS (if any). */
public final class DocumentTokens {
    private DocumentTokens() {
    }

    /** @return {@code int[n]}: BOS, the text's ids, EOS, as far as the tokenizer has them */
    public static int[] document(TextTokenizer tokenizer, String text) {
        int[] body = tokenizer.encode(text);
        int bos = tokenizer.bosId().isPresent() ? 1 : 0;
        int eos = tokenizer.eosId().isPresent() ? 1 : 0;
        int[] doc = new int[body.length + bos + eos];
        if (bos == 1) {
            doc[0] = tokenizer.bosId().getAsInt();
        }
        System.arraycopy(body, 0, doc, bos, body.length);
        if (eos == 1) {
            doc[doc.length - 1] = tokenizer.eosId().getAsInt();
        }
        return doc;
    }
}
