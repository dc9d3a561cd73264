package kubelab.scheduler;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() throws Exception {
    InMemoryCluster c = new InMemoryCluster();
    try (Scheduler s = Scheduler.builder().api(c).objects(c).bindInline(true).build()) {
      c.attach(s);
      for (int i = 1; i <= 3; i++) c.addNode(MakeNode.named("node-" + i).capacity("2", "4Gi", 110).obj());
      c.createPod(MakePod.named("web-0").req("cpu", "500m").obj());
      c.createPod(MakePod.named("big").req("cpu", "3").obj());
      while (s.scheduleOne(Duration.ZERO)) {}
      System.out.println(c.events());
      assertNotNull(c.pod("default", "web-0").spec.nodeName);
    }
  }
}
