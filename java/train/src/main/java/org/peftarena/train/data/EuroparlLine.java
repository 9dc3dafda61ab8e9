package org.peftarena.train.data;

/**
 * One line of the Europarl sample: its title, date and body, the detected language (empty string
 * when undecided) and the split it belongs to.
 */
public record EuroparlLine(String title, String date, String body, String language, DataSplit split) {
}
