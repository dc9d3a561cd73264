package kubelab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kubelab.client.KubeClient;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler runs inside the control plane: it leads, binds pods, and shows in the status table. */
class ControlPlaneSchedulerTest {
  @Test
  void theControlPlaneSchedulesPodsAndReportsItsScheduler(@TempDir Path dir) throws Exception {
    try (ControlPlane cp = ControlPlane.start(ClusterConfig.defaults(dir).onFreePorts(), line -> {});
         KubeClient admin = KubeClient.fromKubeconfig(cp.kubeconfig())) {
      admin.nodes().create(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      admin.pods("default").create(MakePod.named("web-0").obj());
      String node = null;
      for (int i = 0; i < 200 && node == null; i++) {
        node = admin.pods("default").get("web-0").spec.nodeName;
        if (node == null) Thread.sleep(100);
      }
      assertEquals("node-1", node);
      assertTrue(cp.scheduler().isLeader());
      assertEquals(cp.scheduler().identity(), admin.leases("kube-system").get("kube-scheduler").spec.holderIdentity);
      JsonNode row = null;
      for (JsonNode c : cp.status().path("components")) if (c.path("name").asText().equals("scheduler")) row = c;
      assertEquals("leader", row.path("role").asText());
      assertEquals("ok", row.path("health").asText());
    }
  }
}
