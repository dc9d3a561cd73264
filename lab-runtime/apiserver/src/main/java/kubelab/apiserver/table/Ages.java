package kubelab.apiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Ages as kubectl prints them ({@code 5m}, {@code 3h12m}, {@code 2d4h}): Kubernetes 1.32's
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration rules, re-implemented.
 */
public final class Ages {
  private Ages() {}

  /** {@code <unknown>} when there is no timestamp, as kubectl shows. */
  public static String since(String rfc3339, Instant now) {
    if (rfc3339 == null || rfc3339.isEmpty()) return "<unknown>";
    try {
      return human(Duration.between(Instant.parse(rfc3339), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  public static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 60 * 2) return seconds + "s";
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 60 * 3) return minutes + "m";
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) return hours + "h";
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) return (hours / 24) + "d";
    if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
    }
    return (hours / 24 / 365) + "y";
  }
}
