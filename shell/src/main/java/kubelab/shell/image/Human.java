package kubelab.shell.image;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * Docker CLI's human formats, so `lab image ls` reads like `docker images`: sizes in decimal
 * units with three significant digits ("4.26MB", "0B"), ages as "2 weeks ago". The thresholds are
 * those of docker/go-units (HumanSizeWithPrecision, HumanDuration) as of Docker 27.
 */
public final class Human {
  private Human() {}

  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  /** 4261550 → "4.26MB"; 0 → "0B"; 999 → "999B"; 1000 → "1kB". */
  public static String size(long bytes) {
    double v = bytes;
    int unit = 0;
    while (v >= 1000 && unit < UNITS.length - 1) {
      v /= 1000;
      unit++;
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
    return d.toPlainString() + UNITS[unit];
  }

  /** "Less than a second", "About a minute", "3 hours", "2 weeks" ... */
  public static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) return seconds + " seconds";
    long minutes = d.toMinutes();
    if (minutes == 1) return "About a minute";
    if (minutes < 60) return minutes + " minutes";
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (hours == 1) return "About an hour";
    if (hours < 48) return hours + " hours";
    if (hours < 24 * 7 * 2) return hours / 24 + " days";
    if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
    if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
    return d.toHours() / 24 / 365 + " years";
  }

  /** "2 weeks ago" for a time in the past; the epoch (unknown) prints "N/A". */
  public static String ago(Instant then, Instant now) {
    if (then == null || then.equals(Instant.EPOCH)) return "N/A";
    Duration d = Duration.between(then, now);
    if (d.isNegative()) d = Duration.ZERO;
    return duration(d) + " ago";
  }
}
