package kubelab.api.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** Label and field selectors as kubectl sends them (-l, --field-selector), with apimachinery's error wording. */
class SelectorTest {
  @Test
  void equalityAndSetBasedLabelSelectors() {
    Map<String, String> labels = Map.of("app", "web", "tier", "front", "version", "3");
    assertTrue(LabelSelectorString.parse("app=web").matches(labels));
    assertTrue(LabelSelectorString.parse("app==web,tier!=back").matches(labels));
    assertTrue(LabelSelectorString.parse("app in (web, api),!canary,tier").matches(labels));
    assertTrue(LabelSelectorString.parse("version>2,version<4").matches(labels));
    assertFalse(LabelSelectorString.parse("app notin (web)").matches(labels));
    assertFalse(LabelSelectorString.parse("missing").matches(labels));
    assertTrue(LabelSelectorString.parse("missing!=x").matches(labels), "!= matches objects without the label");
    assertTrue(LabelSelectorString.parse("").matches(labels));
  }

  @Test
  void badLabelSelectorsAreRejectedInTheParsersWords() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelectorString.parse("a b"));
    assertEquals("found 'b', expected: in, notin, =, ==, !=, gt, lt", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelSelectorString.parse("a=b c"));
    assertEquals("found 'c', expected: ',' or 'end of string'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelSelectorString.parse("a>b"));
    assertTrue(e.getMessage().contains("for 'gt', 'lt' operators, the value must be an integer"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LabelSelectorString.parse("a in b"));
  }

  @Test
  void fieldSelectorsMatchDottedPathsAndValidateSupportedFields() throws Exception {
    var pod = Json.MAPPER.readTree("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
        + "\"spec\":{\"nodeName\":\"node-1\"},\"status\":{\"phase\":\"Running\"}}");
    FieldSelector s = FieldSelector.parse("spec.nodeName=node-1,status.phase!=Failed");
    assertTrue(s.matches(pod, Map.of()));
    assertFalse(FieldSelector.parse("spec.nodeName==").matches(pod, Map.of()));
    assertTrue(FieldSelector.parse("spec.schedulerName=").matches(pod, Map.of()), "an absent field is the empty string");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FieldSelector.parse("spec.image=x").validate(FieldLabels.supported("pods", true)));
    assertEquals("field label not supported: spec.image", e.getMessage());
    FieldSelector.parse("metadata.name=web,spec.nodeName=n,status.phase=Running").validate(FieldLabels.supported("pods", true));
    assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("nonsense"));
  }

  @Test
  void eventsAreSelectableByInvolvedObjectAsKubectlDescribeAsks() throws Exception {
    Set<String> supported = FieldLabels.supported("events", true);
    FieldSelector s = FieldSelector.parse("involvedObject.name=web,involvedObject.namespace=default,"
        + "involvedObject.kind=Pod,involvedObject.uid=u1");
    s.validate(supported);
    var ev = Json.MAPPER.readTree("{\"involvedObject\":{\"name\":\"web\",\"namespace\":\"default\",\"kind\":\"Pod\",\"uid\":\"u1\"}}");
    assertTrue(s.matches(ev, FieldLabels.aliases("events")));
  }
}
