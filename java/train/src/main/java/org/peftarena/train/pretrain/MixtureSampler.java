package org.peftarena.train.pretrain;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws training rows from the general mixture: with probability {@code additionShare} a row of
 * whole addition documents back to back, else a window at a random offset of one language's
 * concatenated text stream (languages equally likely).
 */
final class MixtureSampler {
    private final List<int[]> languageStreams;
    private final int[] additionStream;
    private final double additionShare;
    private final int length;
    private final SplittableRandom random;
    private final int[] additionStarts;

    /**
     * @param languageStreams one concatenated document stream per language, each longer than a row
     * @param additionDocs    addition documents (BOS ... EOS)
     * @param additionShare   fraction of addition rows
     * @param length          tokens per row
     * @param seed            seed of the draw
     */
    MixtureSampler(List<int[]> languageStreams, List<int[]> additionDocs, double additionShare, int length,
                   long seed) {
        for (int[] s : languageStreams) {
            if (s.length <= length) {
                throw new IllegalArgumentException("a language stream of " + s.length + " tokens is shorter than a row");
            }
        }
        this.languageStreams = languageStreams;
        this.additionStream = ByteDocuments.concatenate(additionDocs);
        this.additionStarts = new int[additionDocs.size()];
        int pos = 0;
        for (int i = 0; i < additionDocs.size(); i++) {
            additionStarts[i] = pos;
            pos += additionDocs.get(i).length;
        }
        if (additionShare > 0 && additionStream.length <= length) {
            throw new IllegalArgumentException("too few addition problems for a row of " + length);
        }
        this.additionShare = additionShare;
        this.length = length;
        this.random = new SplittableRandom(seed);
    }

    /** @return {@code rows * length} token ids, row-major */
    long[] nextBatch(int rows) {
        long[] out = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            int[] stream;
            int start;
            if (random.nextDouble() < additionShare) {
                stream = additionStream;
                // start at a document boundary so rows begin like evaluation prompts, with BOS
                int first = random.nextInt(additionStarts.length);
                start = Math.min(additionStarts[first], stream.length - length);
            } else {
                stream = languageStreams.get(random.nextInt(languageStreams.size()));
                start = random.nextInt(stream.length - length);
            }
            for (int j = 0; j < length; j++) {
                out[r * length + j] = stream[start + j];
            }
        }
        return out;
    }
}
