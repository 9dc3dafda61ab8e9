package org.peftarena.train.pretrain;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.formats.tokenizer.ByteTokenizer;

/** Turns texts and addition problems into byte-token documents: BOS, the UTF-8 bytes, EOS. */
public final class ByteDocuments {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    private ByteDocuments() {
    }

    /** @return BOS + bytes of the text + EOS */
    public static int[] document(String text) {
        int[] body = TOKENIZER.encode(text);
        int[] doc = new int[body.length + 2];
        doc[0] = ByteTokenizer.BOS;
        System.arraycopy(body, 0, doc, 1, body.length);
        doc[doc.length - 1] = ByteTokenizer.EOS;
        return doc;
    }

    /** @return one document per text */
    public static List<int[]> documents(List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(document(t)));
        return out;
    }

    /** @return BOS + bytes of the prompt (what generation starts from) */
    public static int[] prompt(String text) {
        int[] body = TOKENIZER.encode(text);
        int[] p = new int[body.length + 1];
        p[0] = ByteTokenizer.BOS;
        System.arraycopy(body, 0, p, 1, body.length);
        return p;
    }

    /** @return the bytes of a text, no special tokens */
    public static int[] bytes(String text) {
        return TOKENIZER.encode(text);
    }

    /** @return all documents concatenated into one stream */
    public static int[] concatenate(List<int[]> docs) {
        int n = 0;
        for (int[] d : docs) {
            n += d.length;
        }
        int[] out = new int[n];
        int pos = 0;
        for (int[] d : docs) {
            System.arraycopy(d, 0, out, pos, d.length);
            pos += d.length;
        }
        return out;
    }

    /** @return one document per addition problem: BOS + "12+345=357" + EOS */
    public static List<int[]> additionDocuments(List<AdditionProblems.Problem> problems) {
        List<int[]> out = new ArrayList<>(problems.size());
        problems.forEach(p -> out.add(document(p.text())));
        return out;
    }
}
