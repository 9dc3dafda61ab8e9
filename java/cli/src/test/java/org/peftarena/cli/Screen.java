package org.peftarena.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal terminal of a fixed width (tests only): applies text, {@code \r}, {@code \n}, erase
 * line ({@code ESC[2K}) and cursor up ({@code ESC[1A}), wrapping what passes the last column, and
 * counts the wraps, so a test sees what a person would see.
 */
final class Screen {
    private final int width;
    private final List<StringBuilder> lines = new ArrayList<>();
    private int row;
    private int col;
    private int wraps;

    Screen(int width) {
        this.width = width;
        lines.add(new StringBuilder());
    }

    Screen apply(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\033' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < s.length() && !Character.isLetter(s.charAt(j))) {
                    j++;
                }
                String args = s.substring(i + 2, j);
                char cmd = s.charAt(j);
                if (cmd == 'K' && args.equals("2")) {
                    lines.get(row).setLength(0);
                } else if (cmd == 'A') {
                    row = Math.max(0, row - (args.isEmpty() ? 1 : Integer.parseInt(args)));
                }
                i = j;
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                newline();
                col = 0;
            } else {
                if (col == width) {
                    wraps++;
                    newline();
                    col = 0;
                }
                StringBuilder l = lines.get(row);
                while (l.length() < col) {
                    l.append(' ');
                }
                if (col < l.length()) {
                    l.setCharAt(col, c);
                } else {
                    l.append(c);
                }
                col++;
            }
        }
        return this;
    }

    private void newline() {
        row++;
        if (row == lines.size()) {
            lines.add(new StringBuilder());
        }
    }

    /** The lines on the screen, trailing blank ones left out. */
    List<String> lines() {
        List<String> out = new ArrayList<>(lines.stream().map(StringBuilder::toString).toList());
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** How often the text ran past the last column. */
    int wraps() {
        return wraps;
    }
}
