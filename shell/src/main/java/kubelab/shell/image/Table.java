package kubelab.shell.image;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Column output as the Docker CLI prints its tables (Go's tabwriter with minwidth 10, padding 3):
 * each column is as wide as its widest cell plus three spaces, at least ten; the last column is
 * not padded. Rows are collected, then printed at once.
 */
public final class Table {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(header);
  }

  public Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  public void print(PrintWriter out) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols - 1; i++) width[i] = Math.max(width[i], Math.max(MIN_WIDTH, length(r[i]) + PADDING));
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String cell = r[i] == null ? "" : r[i];
        b.append(cell);
        if (i < cols - 1) b.append(" ".repeat(width[i] - length(cell)));
      }
      out.println(b.toString().stripTrailing());
    }
    out.flush();
  }

  /** Display width: code points (the ellipsis "…" counts one, as in Docker). */
  private static int length(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }
}
