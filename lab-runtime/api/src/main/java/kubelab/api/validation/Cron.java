package kubelab.api.validation;

/**
 * Checks a CronJob schedule: five fields (minute, hour, day of month, month, day of week) or a
 * macro (@yearly, @monthly, @weekly, @daily, @hourly), as robfig/cron's standard parser accepts;
 * errors are worded as that parser words them.
 */
final class Cron {
  private Cron() {}

  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  /** The error, or null if the schedule is valid. */
  static String check(String schedule) {
    String s = schedule.trim();
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
    if (s.startsWith("@")) {
      return switch (s) {
        case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly" -> null;
        default -> "unrecognized descriptor: " + s;
      };
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) return "expected exactly 5 fields, found " + f.length + ": " + s;
    for (int i = 0; i < 5; i++) {
      String err = field(f[i], RANGES[i][0], RANGES[i][1], i == 3 ? MONTHS : i == 4 ? DAYS : null, i == 3 ? 1 : 0);
      if (err != null) return err;
    }
    return null;
  }

  private static String field(String f, int min, int max, String[] names, int nameBase) {
    for (String part : f.split(",")) {
      String range = part;
      String step = null;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = part.substring(slash + 1);
        if (!step.matches("\\d+") || Integer.parseInt(step) == 0) return "step of range should be a positive number: " + part;
      }
      if (range.equals("*") || range.equals("?")) continue;
      String[] bounds = range.split("-");
      if (bounds.length > 2) return "too many hyphens: " + part;
      for (String b : bounds) {
        Integer v = value(b, names, nameBase);
        if (v == null) return "failed to parse int from " + b + ": strconv.Atoi: parsing \"" + b + "\": invalid syntax";
        if (v < min) return "beginning of range (" + v + ") below minimum (" + min + "): " + part;
        if (v > max) return "end of range (" + v + ") above maximum (" + max + "): " + part;
      }
    }
    return null;
  }

  private static Integer value(String s, String[] names, int base) {
    if (s.matches("\\d+")) return Integer.parseInt(s);
    if (names != null) {
      for (int i = 0; i < names.length; i++) if (names[i].equalsIgnoreCase(s)) return i + base;
    }
    return null;
  }
}
