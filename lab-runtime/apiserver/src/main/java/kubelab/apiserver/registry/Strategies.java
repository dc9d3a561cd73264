package kubelab.apiserver.registry;

import java.util.HashMap;
import java.util.Map;

/** The strategy of each kind that needs more than the generic behaviour, keyed "group/plural". */
public final class Strategies {
  private Strategies() {}

  public static Map<String, Strategy> builtin() {
    Map<String, Strategy> m = new HashMap<>();
    return m;
  }
}
