package kubelab.api.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** What Kubernetes 1.32 fills in (SetDefaults_*), as `kubectl get -o yaml` then shows. */
class DefaultsTest {
  private static ObjectNode j(String s) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void imagePullPolicyDependsOnTheTag() {
    assertEquals("Always", PodDefaults.pullPolicy("nginx"));
    assertEquals("Always", PodDefaults.pullPolicy("nginx:latest"));
    assertEquals("IfNotPresent", PodDefaults.pullPolicy("nginx:1.27"));
    assertEquals("Always", PodDefaults.pullPolicy("localhost:5000/nginx"), "a registry port is not a tag");
    assertEquals("IfNotPresent", PodDefaults.pullPolicy("localhost:5000/nginx:1"));
    assertEquals("IfNotPresent", PodDefaults.pullPolicy("nginx@sha256:abcd"));
  }

  @Test
  void podSpecDefaults() throws Exception {
    ObjectNode pod = j("{'apiVersion':'v1','kind':'Pod','spec':{'containers':[{'name':'web','image':'nginx',"
        + "'ports':[{'containerPort':80}],'resources':{'limits':{'cpu':'1'}}}],'volumes':[{'name':'v'},{'name':'c','configMap':{'name':'x'}}]}}");
    Defaults.apply("v1", "Pod", pod);
    JsonNode spec = pod.get("spec");
    assertEquals("Always", spec.path("restartPolicy").asText());
    assertEquals("ClusterFirst", spec.path("dnsPolicy").asText());
    assertEquals(30, spec.path("terminationGracePeriodSeconds").asInt());
    assertEquals("default-scheduler", spec.path("schedulerName").asText());
    JsonNode c = spec.path("containers").get(0);
    assertEquals("Always", c.path("imagePullPolicy").asText());
    assertEquals("/dev/termination-log", c.path("terminationMessagePath").asText());
    assertEquals("File", c.path("terminationMessagePolicy").asText());
    assertEquals("TCP", c.path("ports").get(0).path("protocol").asText());
    assertEquals("1", c.path("resources").path("requests").path("cpu").asText(), "requests default to limits");
    assertEquals(j("{}"), spec.path("volumes").get(0).path("emptyDir"));
    assertEquals(420, spec.path("volumes").get(1).path("configMap").path("defaultMode").asInt());
    JsonNode once = pod.deepCopy();
    Defaults.apply("v1", "Pod", pod);
    assertEquals(once, pod, "defaulting is idempotent");
  }

  @Test
  void deploymentDefaults() throws Exception {
    ObjectNode d = j("{'apiVersion':'apps/v1','kind':'Deployment','spec':{'selector':{'matchLabels':{'a':'b'}},"
        + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'nginx:1'}]}}}}");
    Defaults.apply("apps/v1", "Deployment", d);
    JsonNode spec = d.get("spec");
    assertEquals(1, spec.path("replicas").asInt());
    assertEquals("RollingUpdate", spec.path("strategy").path("type").asText());
    assertEquals("25%", spec.path("strategy").path("rollingUpdate").path("maxSurge").asText());
    assertEquals("25%", spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asText());
    assertEquals(10, spec.path("revisionHistoryLimit").asInt());
    assertEquals(600, spec.path("progressDeadlineSeconds").asInt());
    assertEquals("IfNotPresent", spec.path("template").path("spec").path("containers").get(0).path("imagePullPolicy").asText());
  }

  @Test
  void serviceDefaults() throws Exception {
    ObjectNode s = j("{'apiVersion':'v1','kind':'Service','spec':{'ports':[{'port':80}],'selector':{'a':'b'}}}");
    Defaults.apply("v1", "Service", s);
    JsonNode spec = s.get("spec");
    assertEquals("ClusterIP", spec.path("type").asText());
    assertEquals("None", spec.path("sessionAffinity").asText());
    assertEquals("TCP", spec.path("ports").get(0).path("protocol").asText());
    assertEquals(80, spec.path("ports").get(0).path("targetPort").asInt(), "targetPort defaults to port");
  }
}
