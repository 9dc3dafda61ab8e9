package org.peftarena.formats.tokenizer;

import java.util.Arrays;

/** A growable int array for collecting token ids without boxing. */
final class IntArrayBuilder {

    private int[] data;
    private int size;

    IntArrayBuilder(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
