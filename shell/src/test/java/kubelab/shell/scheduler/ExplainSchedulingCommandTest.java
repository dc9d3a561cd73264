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
  void withoutAPodTheErrorSaysWhatToType() {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "explain", "scheduling");
    assertEquals(1, code);
    assertEquals("lab: which pod? usage: lab explain scheduling POD (NAME, pod/NAME or NAMESPACE/NAME)", err.toString().trim());
  }
}
