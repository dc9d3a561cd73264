package kubelab.container;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Manual smoke check: java -cp ... kubelab.container.SmokeMain ROOT CMD... */
public final class SmokeMain {
  public static void main(String[] a) {
    Path root = Path.of(a[0]);
    LinuxRuntime rt = new LinuxRuntime(root, TestImages.forRoot(root));
    long t0 = System.nanoTime();
    var spec = ContainerSpec.builder("busybox").command(List.of(a).subList(1, a.length)).network(NetworkMode.NONE).build();
    var r = rt.create(spec);
    rt.start(r.id, new Trace(new PrintWriter(System.err, true)), new Attach(null, System.out, System.err));
    var e = rt.waitFor(r.id, null);
    System.err.println("exit " + e + " state " + rt.state(r.id));
    rt.remove(r.id, true);
    System.err.printf("%.1f ms%n", (System.nanoTime() - t0) / 1e6);
    for (int i = 0; i < Integer.getInteger("n", 20); i++) {
      long t = System.nanoTime();
      var c = rt.create(ContainerSpec.builder("busybox").command("sleep", "1000").network(i % 2 == 0 ? NetworkMode.BRIDGE : NetworkMode.NONE).build());
      long t1 = System.nanoTime();
      rt.start(c.id, Trace.NONE, null);
      long t2 = System.nanoTime();
      rt.kill(c.id, 9);
      rt.waitFor(c.id, null);
      long t3 = System.nanoTime();
      rt.remove(c.id, true);
      long t4 = System.nanoTime();
      if (java.nio.file.Files.exists(rt.store().dir(c.id))) {
        System.err.println("LEFT: " + c.id);
        try (var w = java.nio.file.Files.walk(rt.store().dir(c.id))) { w.forEach(x -> System.err.println("  " + x)); } catch (Exception ex) { }
      }
      System.err.printf("%.1f [c%.1f s%.1f w%.1f r%.1f]%n", (t4 - t) / 1e6, (t1-t)/1e6, (t2-t1)/1e6, (t3-t2)/1e6, (t4-t3)/1e6);
    }
    System.err.println();
  }
}
