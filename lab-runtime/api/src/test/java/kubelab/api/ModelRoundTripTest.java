package kubelab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import kubelab.api.core.Pod;
import kubelab.api.core.Taint;
import kubelab.api.core.Toleration;
import kubelab.api.meta.LabelSelector;
import kubelab.api.resource.Quantity;
import org.junit.jupiter.api.Test;

class ModelRoundTripTest {
  @Test
  void unknownFieldsSurviveATypedReadModifyWrite() {
    String yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: default
          futureMetaField: {a: 1}
        spec:
          containers:
          - name: app
            image: busybox
            resources: {requests: {cpu: 250m, memory: 64Mi}}
            someNewContainerField: [x, y]
          runtimeClassName: gvisor
        """;
    Pod pod = Json.readYaml(yaml, Pod.class);
    pod.spec.nodeName = "node-1";
    JsonNode out = Json.tree(pod);
    assertEquals("gvisor", out.at("/spec/runtimeClassName").asText());
    assertEquals("x", out.at("/spec/containers/0/someNewContainerField/0").asText());
    assertEquals(1, out.at("/metadata/futureMetaField/a").asInt());
    assertEquals("node-1", out.at("/spec/nodeName").asText());
    assertEquals("250m", out.at("/spec/containers/0/resources/requests/cpu").asText());
    assertFalse(out.at("/status").isMissingNode() && false);
    assertTrue(out.path("status").isMissingNode(), "absent fields stay absent: " + out);
  }

  @Test
  void quantitiesParseLikeKubernetes() {
    assertEquals(250, Quantity.parse("250m").milliValue());
    assertEquals(500, Quantity.parse("0.5").milliValue());
    assertEquals(2000, Quantity.parse("2").milliValue());
    assertEquals(64L << 20, Quantity.parse("64Mi").value());
    assertEquals(1_000_000_000L, Quantity.parse("1G").value());
    assertEquals(1000, Quantity.parse("1e3").value());
    assertEquals(1, Quantity.parse("1m").value(), "Value() rounds up");
    assertEquals(Quantity.parse("1Gi"), Quantity.parse("1073741824"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("12q"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse(""));
    assertEquals("1500m", Quantity.ofMilli(1500).toString());
  }

  @Test
  void tolerationsMatchTaintsAsKubernetesDoes() {
    Taint gpu = new Taint("gpu", "true", "NoSchedule");
    Toleration exact = Json.convert(Map.of("key", "gpu", "operator", "Equal", "value", "true", "effect", "NoSchedule"), Toleration.class);
    Toleration wrongValue = Json.convert(Map.of("key", "gpu", "value", "false"), Toleration.class);
    Toleration existsAll = Json.convert(Map.of("operator", "Exists"), Toleration.class);
    Toleration otherEffect = Json.convert(Map.of("key", "gpu", "operator", "Exists", "effect", "NoExecute"), Toleration.class);
    assertTrue(exact.tolerates(gpu));
    assertFalse(wrongValue.tolerates(gpu));
    assertTrue(existsAll.tolerates(gpu), "empty key with Exists tolerates every taint");
    assertFalse(otherEffect.tolerates(gpu));
    assertEquals("gpu=true:NoSchedule", gpu.toString());
  }

  @Test
  void labelSelectorsCombineLabelsAndExpressions() {
    LabelSelector s = Json.readYaml("""
        matchLabels: {app: web}
        matchExpressions:
        - {key: tier, operator: In, values: [front, back]}
        - {key: canary, operator: DoesNotExist}
        """, LabelSelector.class);
    assertTrue(s.matches(Map.of("app", "web", "tier", "front")));
    assertFalse(s.matches(Map.of("app", "web", "tier", "db")));
    assertFalse(s.matches(Map.of("app", "web", "tier", "front", "canary", "1")));
    assertTrue(new LabelSelector().matches(null), "the empty selector matches everything");
  }
}
