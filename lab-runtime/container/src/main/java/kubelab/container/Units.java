package kubelab.container;

import java.util.Locale;

/** Parsing Docker's flag values: sizes ("512m", "1g"), CPU counts ("1.5"), cpusets ("0-1,3"). */
public final class Units {
  private Units() {}

  /**
   * Bytes from Docker's size syntax: a non-negative number with an optional unit b, k, m or g
   * (and kb, mb, gb; powers of 1024). Throws ContainerException naming the flag otherwise.
   */
  public static long parseBytes(String s, String flag) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    String num = t;
    String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"tb", "1099511627776"},
        {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}, {"t", "1099511627776"}, {"b", "1"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        mult = Long.parseLong(u[1]);
        num = t.substring(0, t.length() - u[0].length());
        break;
      }
    }
    try {
      double v = Double.parseDouble(num);
      if (v < 0 || num.isEmpty() || !num.matches("[0-9.]+")) throw new NumberFormatException();
      return (long) (v * mult);
    } catch (NumberFormatException e) {
      throw new ContainerException("invalid " + flag + " value \"" + s
          + "\": use a number with an optional unit b, k, m or g (for example 32m or 1g)");
    }
  }

  /** {@code --memory}: at least 6 MiB, as Docker demands. */
  public static long parseMemory(String s, String flag) {
    long v = parseBytes(s, flag);
    if (v < 6 * 1024 * 1024)
      throw new ContainerException("invalid " + flag + " \"" + s + "\": the minimum memory limit is 6m");
    return v;
  }

  /** {@code --memory-swap}: a size, or -1 for unlimited swap. */
  public static long parseSwap(String s) {
    if (s.trim().equals("-1")) return -1;
    return parseBytes(s, "--memory-swap");
  }

  /** {@code --cpus 1.5} as a CFS quota in microseconds per 100 ms period. */
  public static long parseCpus(String s) {
    try {
      double v = Double.parseDouble(s.trim());
      int n = Runtime.getRuntime().availableProcessors();
      if (v <= 0) throw new NumberFormatException();
      if (v > n)
        throw new ContainerException("invalid --cpus \"" + s + "\": this machine has " + n + " CPUs; use a number from 0.01 to " + n);
      return Math.max(1000, Math.round(v * Params.CPU_PERIOD_US));
    } catch (NumberFormatException e) {
      throw new ContainerException("invalid --cpus \"" + s + "\": use a positive number of CPUs, e.g. 0.5 or 1.5");
    }
  }

  /** {@code --cpuset-cpus 0-1,3}: the syntax only; the kernel checks the CPUs exist. */
  public static String parseCpuset(String s, String flag) {
    if (!s.trim().matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*"))
      throw new ContainerException("invalid " + flag + " \"" + s + "\": use CPU numbers and ranges, e.g. 0 or 0-1,3");
    return s.trim();
  }

  /** {@code --pids-limit N}: positive, or -1 / 0 for unlimited. */
  public static long parsePids(String s) {
    try {
      long v = Long.parseLong(s.trim());
      return v <= 0 ? -1 : v;
    } catch (NumberFormatException e) {
      throw new ContainerException("invalid --pids-limit \"" + s + "\": use a whole number (-1 for no limit)");
    }
  }

  /**
   * A Go duration ("30s", "1m30s", "500ms", "1.5s"), as Docker's --health-interval and the
   * Dockerfile's HEALTHCHECK options take it, in nanoseconds. At least 1 ms; throws
   * ContainerException naming the flag otherwise.
   */
  public static long parseDuration(String s, String flag) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s.trim());
    long total = 0;
    int pos = 0;
    while (m.find()) {
      if (m.start() != pos) break;
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total += (long) (v * unit);
      pos = m.end();
    }
    if (pos != s.trim().length() || pos == 0)
      throw new ContainerException("invalid " + flag + " \"" + s + "\": use a duration such as 30s, 1m30s or 500ms");
    if (total < 1_000_000L) throw new ContainerException("invalid " + flag + " \"" + s + "\": the minimum is 1ms");
    return total;
  }

  /** 33554432 → "32MiB", for messages. */
  public static String human(long bytes) {
    String[] u = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = 0;
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + u[i];
  }
}
