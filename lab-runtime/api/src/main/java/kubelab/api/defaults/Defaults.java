package kubelab.api.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Defaulting of API objects (filled in kind by kind). */
public final class Defaults {
  private Defaults() {}

  public static void apply(String apiVersion, String kind, ObjectNode obj) {
  }
}
