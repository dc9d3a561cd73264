package kubelab.container;

/**
 * RFC 3339 timestamps in UTC with nanoseconds ("2026-11-22T01:34:48.257358116Z"), as Docker and
 * the supervisor write them, formatted by hand: {@code Instant.toString()} first builds
 * java.time's formatter machinery, which a short command would pay for at start-up.
 */
public final class Times {
  private Times() {}

  /** Now, as RFC 3339 UTC with nanoseconds. */
  public static String now() {
    java.time.Instant i = java.time.Clock.systemUTC().instant();
    return format(i.getEpochSecond(), i.getNano());
  }

  /** Howard Hinnant's days-to-civil algorithm. */
  public static String format(long epochSecond, int nanos) {
    long days = Math.floorDiv(epochSecond, 86400);
    long secs = Math.floorMod(epochSecond, 86400);
    long z = days + 719468;
    long era = Math.floorDiv(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y++;
    StringBuilder sb = new StringBuilder(30);
    pad(sb, y, 4).append('-');
    pad(sb, m, 2).append('-');
    pad(sb, d, 2).append('T');
    pad(sb, secs / 3600, 2).append(':');
    pad(sb, secs / 60 % 60, 2).append(':');
    pad(sb, secs % 60, 2).append('.');
    pad(sb, nanos, 9).append('Z');
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) sb.append('0');
    return sb.append(s);
  }
}
