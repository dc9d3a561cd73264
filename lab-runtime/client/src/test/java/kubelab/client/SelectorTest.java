package kubelab.client;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.LabelSelector;
import org.junit.jupiter.api.Test;

/** Label selector grammar and matching, as kubectl -l and the API server define them. */
class SelectorTest {
  record Case(String name, String selector, Map<String, String> labels, boolean matches) {}

  static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "env", "prod");

  @Test void selectorsMatchLikeTheApiServer() {
    List<Case> cases = List.of(
        new Case("empty selector matches everything", "", WEB, true),
        new Case("equality matches the same value", "app=web", WEB, true),
        new Case("double equals is equality", "app==web", WEB, true),
        new Case("equality fails on another value", "app=db", WEB, false),
        new Case("equality fails when the key is missing", "team=a", WEB, false),
        new Case("inequality matches another value", "app!=db", WEB, true),
        new Case("inequality matches a missing key", "team!=a", WEB, true),
        new Case("inequality fails on the same value", "app!=web", WEB, false),
        new Case("in matches a listed value", "env in (prod,staging)", WEB, true),
        new Case("in fails on an unlisted value", "env in (dev)", WEB, false),
        new Case("in fails on a missing key", "team in (a)", WEB, false),
        new Case("notin matches a missing key", "team notin (a)", WEB, true),
        new Case("notin fails on a listed value", "env notin (prod)", WEB, false),
        new Case("exists matches a present key", "tier", WEB, true),
        new Case("exists fails on a missing key", "team", WEB, false),
        new Case("not-exists matches a missing key", "!team", WEB, true),
        new Case("not-exists fails on a present key", "!app", WEB, false),
        new Case("commas are AND", "app=web,env in (prod, staging),!team", WEB, true),
        new Case("one failing requirement fails the AND", "app=web,env=dev", WEB, false),
        new Case("prefixed keys work", "app.kubernetes.io/name=x", Map.of("app.kubernetes.io/name", "x"), true),
        new Case("null labels are no labels", "!app", null, true));
    for (Case c : cases) {
      assertEquals(c.matches, Selector.parse(c.selector).matches(c.labels), c.name);
    }
  }

  @Test void malformedSelectorsAreRejectedWithTheSelectorInTheMessage() {
    for (String bad : List.of("app=", "=web", "env in prod", "a,,b", "app=we b", "env in (a")) {
      if (bad.equals("app=")) {
        assertTrue(Selector.parse(bad).matches(Map.of("app", "")), "empty value is legal");
        continue;
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selector.parse(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test void labelSelectorObjectsConvert() {
    LabelSelector ls = new LabelSelector();
    ls.matchLabels = Map.of("app", "web");
    var r = new LabelSelector.LabelSelectorRequirement();
    r.key = "env";
    r.operator = "NotIn";
    r.values = List.of("dev");
    ls.matchExpressions = List.of(r);
    Selector s = Selector.of(ls);
    assertTrue(s.matches(WEB));
    assertFalse(s.matches(Map.of("app", "web", "env", "dev")));
    assertEquals("app=web,env notin (dev)", s.toString());
    assertEquals(s.toString(), Selector.parse(s.toString()).toString(), "round-trips through its string");
  }
}
