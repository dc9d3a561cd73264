package kubelab.shell.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kubelab.shell.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainSchedulingCommandTest {
  @Test
  void pluginsListsEveryExtensionPointWithWeights() {
    StringWriter out = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "explain", "scheduling", "--plugins");
    assertEquals(0, code);
    String s = out.toString();
    assertTrue(s.startsWith("Profile default-scheduler\n"), s);
    assertTrue(s.contains("Score       TaintToleration (weight 3), NodeAffinity (weight 2), NodeResourcesFit (weight 1)"), s);
    assertTrue(s.contains("PostFilter  DefaultPreemption"), s);
  }

  @Test
  void aProfileFileChangesTheList(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("sched.yaml");
    Files.writeString(cfg, """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        profiles:
        - schedulerName: default-scheduler
          plugins:
            score:
              disabled: [{name: ImageLocality}]
        """);
    StringWriter out = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "explain", "scheduling", "--plugins", "--config", cfg.toString());
    assertEquals(0, code);
    assertTrue(!out.toString().contains("ImageLocality (weight"), out.toString());
  }

  @Test
  void explainsAPendingPodOfARunningClusterWithTheMessageTheSchedulerWrites() throws Exception {
    try (kubelab.apiserver.testing.TestApiServer api = kubelab.apiserver.testing.TestApiServer.start();
         kubelab.client.KubeClient c = kubelab.client.KubeClient.fromKubeconfig(api.kubeconfig())) {
      c.nodes().create(kubelab.scheduler.testing.MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      c.nodes().create(kubelab.scheduler.testing.MakeNode.named("node-2").capacity("2", "4Gi", 110)
          .taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").obj());
      c.pods("default").create(kubelab.scheduler.testing.MakePod.named("web").req("cpu", "3").obj());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "explain", "scheduling", "pod/web",
          "--kubeconfig", api.kubeconfig().toString());
      assertEquals(0, code, err.toString());
      String s = out.toString();
      assertTrue(s.contains("node-1: NodeResourcesFit: Insufficient cpu"), s);
      assertTrue(s.contains("node-2: TaintToleration: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"), s);
      assertTrue(s.contains("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
          + "{node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found "
          + "for incoming pod, 1 Preemption is not helpful for scheduling."), s);

      StringWriter json = new StringWriter();
      code = Main.execute(new PrintWriter(json), new PrintWriter(err), "explain", "scheduling", "default/web", "--json",
          "--kubeconfig", api.kubeconfig().toString());
      assertEquals(0, code, err.toString());
      var j = kubelab.api.Json.MAPPER.readTree(json.toString());
      assertEquals("default/web", j.get("pod").asText());
      assertEquals(2, j.get("nodes").size());
      assertTrue(j.get("winner").isNull());
    }
  }

  @Test
  void anUnknownPodSaysWhereItLooked() {
    try (kubelab.apiserver.testing.TestApiServer api = kubelab.apiserver.testing.TestApiServer.start()) {
      StringWriter err = new StringWriter();
      int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "explain", "scheduling", "nope",
          "--kubeconfig", api.kubeconfig().toString());
      assertEquals(1, code);
      assertEquals("lab: pod \"nope\" not found in namespace \"default\" (kubectl get pods -n default)", err.toString().trim());
    }
  }

  @Test
  void withoutAPodTheErrorSaysWhatToType() {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "explain", "scheduling");
    assertEquals(1, code);
    assertEquals("lab: which pod? usage: lab explain scheduling POD (NAME, pod/NAME or NAMESPACE/NAME)", err.toString().trim());
  }
}
