package kubelab.api.resource;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource amount as Kubernetes writes it: {@code 100m} CPU, {@code 128Mi} memory, {@code 2}.
 *
 * <p>Suffixes (k8s.io/apimachinery resource.Quantity): binary {@code Ki Mi Gi Ti Pi Ei} (powers of
 * 1024), decimal {@code n u m k M G T P E} (powers of 1000), or a decimal exponent ({@code 1e3}).
 * CPU is usually read in milli-units ({@link #milliValue()}: {@code 0.5} and {@code 500m} are both
 * 500), memory in bytes ({@link #value()}, rounded up as Kubernetes does).
 *
 * <p>The original text is kept for round-trips, so {@code 1000m} is written back as {@code 1000m}.
 * Equality is by amount: {@code 1Gi} equals {@code 1073741824}.
 */
public final class Quantity implements Comparable<Quantity> {
  private static final Pattern FORMAT =
      Pattern.compile("^([+-]?[0-9]*\\.?[0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");

  public static final Quantity ZERO = new Quantity("0", BigDecimal.ZERO);

  private final String text;
  private final BigDecimal amount;

  private Quantity(String text, BigDecimal amount) {
    this.text = text;
    this.amount = amount;
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException with Kubernetes' wording ("quantities must match the regular
   *     expression ...") when {@code s} is not one
   */
  @JsonCreator
  public static Quantity parse(String s) {
    String t = s == null ? "" : s.trim();
    Matcher m = FORMAT.matcher(t);
    if (t.isEmpty() || !m.matches() || m.group(1).isEmpty() || m.group(1).equals(".")
        || m.group(1).equals("+") || m.group(1).equals("-")) {
      throw new IllegalArgumentException("quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    return new Quantity(t, number.multiply(multiplier(suffix)));
  }

  /** A quantity from a plain number of units (e.g. bytes), written without suffix. */
  public static Quantity of(long units) {
    return new Quantity(Long.toString(units), BigDecimal.valueOf(units));
  }

  /** A quantity from milli-units, written with the {@code m} suffix unless whole. */
  public static Quantity ofMilli(long milli) {
    if (milli % 1000 == 0) return of(milli / 1000);
    return new Quantity(milli + "m", BigDecimal.valueOf(milli, 3));
  }

  private static BigDecimal multiplier(String suffix) {
    switch (suffix) {
      case "": return BigDecimal.ONE;
      case "Ki": return BigDecimal.valueOf(1L << 10);
      case "Mi": return BigDecimal.valueOf(1L << 20);
      case "Gi": return BigDecimal.valueOf(1L << 30);
      case "Ti": return BigDecimal.valueOf(1L << 40);
      case "Pi": return BigDecimal.valueOf(1L << 50);
      case "Ei": return BigDecimal.valueOf(1L << 60);
      case "n": return BigDecimal.ONE.scaleByPowerOfTen(-9);
      case "u": return BigDecimal.ONE.scaleByPowerOfTen(-6);
      case "m": return BigDecimal.ONE.scaleByPowerOfTen(-3);
      case "k": return BigDecimal.ONE.scaleByPowerOfTen(3);
      case "M": return BigDecimal.ONE.scaleByPowerOfTen(6);
      case "G": return BigDecimal.ONE.scaleByPowerOfTen(9);
      case "T": return BigDecimal.ONE.scaleByPowerOfTen(12);
      case "P": return BigDecimal.ONE.scaleByPowerOfTen(15);
      case "E": return BigDecimal.ONE.scaleByPowerOfTen(18);
      default: // exponent form, e.g. e3
        return BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
  }

  /** The amount in whole units, rounded up (Kubernetes' Value()). */
  public long value() {
    return amount.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The amount in thousandths, rounded up (Kubernetes' MilliValue()). */
  public long milliValue() {
    return amount.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public BigDecimal amount() {
    return amount;
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  @Override
  public int compareTo(Quantity o) {
    return amount.compareTo(o.amount);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.stripTrailingZeros().hashCode();
  }
}
