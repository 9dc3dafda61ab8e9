package org.peftarena.formats.tokenizer;

/**
 * Decodes UTF-8, replacing each maximal invalid subpart with one U+FFFD (the Unicode recommended
 * practice, which the Hugging Face tokenizers library follows; the JDK decoder groups some invalid
 * sequences differently).
 */
final class Utf8Lossy {

    private static final char REPLACEMENT = '\ufffd';

    private Utf8Lossy() {
    }

    /**
     * @param b bytes
     * @param n number of bytes of {@code b} to decode
     * @return the text
     */
    static String decode(byte[] b, int n) {
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            int lead = b[i] & 0xff;
            if (lead < 0x80) {
                sb.append((char) lead);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                need = 1;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                need = 2;
                lo = lead == 0xe0 ? 0xa0 : 0x80;
                hi = lead == 0xed ? 0x9f : 0xbf;
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                need = 3;
                lo = lead == 0xf0 ? 0x90 : 0x80;
                hi = lead == 0xf4 ? 0x8f : 0xbf;
            } else {
                sb.append(REPLACEMENT);
                i++;
                continue;
            }
            int cp = lead & (0x3f >> need);
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                int c = j < n ? b[j] & 0xff : -1;
                int min = k == 0 ? lo : 0x80;
                int max = k == 0 ? hi : 0xbf;
                if (c < min || c > max) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            if (ok) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(REPLACEMENT);
            }
            i = j;
        }
        return sb.toString();
    }
}
