package dev.vppmaglev.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned plain-text table: columns separated by two spaces, widths measured without ANSI
 * escapes (so colour does not break alignment), trailing blanks trimmed. Numeric columns can be
 * right-aligned.
 */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;
    private final String indent;
    private final int columns;

    /**
     * @param indent prefix of every line
     * @param columns number of columns
     */
    TextTable(String indent, int columns) {
        this.indent = indent;
        this.columns = columns;
        this.right = new boolean[columns];
    }

    /** Right-aligns the given columns (0-based). */
    TextTable alignRight(int... cols) {
        for (int c : cols) {
            right[c] = true;
        }
        return this;
    }

    /** Adds a row of exactly {@code columns} cells (cells may carry ANSI colour). */
    TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, one line per row, each ending in {@code \n}. */
    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], Style.width(row[c]));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns; c++) {
                int pad = widths[c] - Style.width(row[c]);
                if (right[c]) {
                    line.append(" ".repeat(pad)).append(row[c]);
                } else {
                    line.append(row[c]).append(" ".repeat(pad));
                }
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            int end = line.length();
            while (end > 0 && line.charAt(end - 1) == ' ') {
                end--;
            }
            out.append(line, 0, end).append('\n');
        }
        return out.toString();
    }
}
