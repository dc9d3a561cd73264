package kubelab.raft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core is a pure function of its inputs (package-info): no sockets, files, threads, clocks.
 * This scans the main sources of kubelab.raft and its subpackages (except bench, which must read
 * a clock to measure) for the APIs that would break that.
 */
class PurityTest {
  static final List<String> FORBIDDEN = List.of("java.net", "java.nio.file", "Thread", "System.currentTimeMillis", "nanoTime", "Math.random", "new Random(");

  @Test
  void coreSimAndCheckerUseNoIoClockOrThreads() throws IOException {
    Path root = Path.of("src/main/java/kubelab/raft");
    List<String> offences = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).filter(p -> !p.toString().contains("/bench/")).toList();
    }
    assertTrue(files.size() > 10, "found the sources: " + files.size());
    for (Path p : files) {
      List<String> lines = Files.readAllLines(p);
      for (int i = 0; i < lines.size(); i++) {
        for (String f : FORBIDDEN) {
          if (lines.get(i).contains(f)) offences.add(p + ":" + (i + 1) + ": " + f);
        }
      }
    }
    assertTrue(offences.isEmpty(), "impure API in the Raft core: " + offences);
  }
}
