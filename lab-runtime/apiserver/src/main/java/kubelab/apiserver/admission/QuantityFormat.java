package kubelab.apiserver.admission;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes a resource amount the way Kubernetes' canonical Quantity.String() would for the common
 * cases: CPU in cores or milli-cores ({@code 1}, {@code 500m}), memory with a binary suffix when
 * it divides evenly ({@code 128Mi}, {@code 1Gi}), else plain units.
 */
final class QuantityFormat {
  private QuantityFormat() {}

  static String of(String resource, BigDecimal amount) {
    if (amount.signum() == 0) return "0";
    boolean memoryLike = resource.contains("memory") || resource.contains("storage");
    if (!memoryLike) {
      BigDecimal milli = amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
      if (milli.remainder(BigDecimal.valueOf(1000)).signum() == 0) return milli.movePointLeft(3).toBigInteger().toString();
      return milli.toBigInteger() + "m";
    }
    BigDecimal units = amount.setScale(0, RoundingMode.CEILING);
    String[] suffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < suffixes.length; i++) {
      BigDecimal m = BigDecimal.valueOf(2).pow(10 * (6 - i));
      if (units.compareTo(m) >= 0 && units.remainder(m).signum() == 0) return units.divide(m).toBigInteger() + suffixes[i];
    }
    return units.toBigInteger().toString();
  }
}
