package kubelab.apiserver.table;

import java.util.Map;

/** Per-kind printers (filled in kind by kind). */
final class Printers {
  private Printers() {}

  static void register(Map<String, TableConvertor> m) {
  }
}
