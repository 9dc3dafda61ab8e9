package org.peftarena.arena.eval;

import java.util.List;

/**
 * Per-item counts behind a task score, so that standard errors (items as clusters) and paired
 * differences between models scored on the same items can be computed: for a text task the items
 * are documents (correct and scored next-token positions), for a problem task problems (0 or 1 of 1).
 *
 * @param items   each item's index in the task's test split
 * @param correct correct predictions or answers per item
 * @param total   scored positions or problems per item (each > 0)
 */
public record ItemCounts(List<Integer> items, List<Integer> correct, List<Integer> total) {
    /** Copies the lists and checks their sizes. */
    public ItemCounts {
        items = List.copyOf(items);
        correct = List.copyOf(correct);
        total = List.copyOf(total);
        if (items.size() != correct.size() || items.size() != total.size()) {
            throw new IllegalArgumentException("item counts need equally long lists, got " + items.size() + ", "
                    + correct.size() + ", " + total.size());
        }
    }

    /** Number of items. */
    public int size() {
        return items.size();
    }

    /** Counts of the items {@code 0..n-1}. */
    public static ItemCounts of(int[] correct, int[] total) {
        List<Integer> idx = new java.util.ArrayList<>(correct.length);
        for (int i = 0; i < correct.length; i++) {
            idx.add(i);
        }
        return of(idx, correct, total);
    }

    /** Counts of the given items. */
    public static ItemCounts of(List<Integer> items, int[] correct, int[] total) {
        return new ItemCounts(items, java.util.Arrays.stream(correct).boxed().toList(),
                java.util.Arrays.stream(total).boxed().toList());
    }
}
