package kubelab.raft.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script in src/test/resources/testdata and compares its output case by case.
 * {@code -Dlab.rewrite=true} writes the actual output back into the files instead: only commit a
 * rewrite you have read and understood (the README says the same).
 */
class ScenarioScriptsTest {
  static final Path DIR = Path.of("src/test/resources/testdata");

  @TestFactory
  Stream<DynamicTest> everyScriptMatchesItsExpectedOutput() throws IOException {
    boolean rewrite = Boolean.getBoolean("lab.rewrite");
    return Files.list(DIR).filter(p -> p.toString().endsWith(".txt")).sorted().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      ScenarioRunner.Result r = ScenarioRunner.run(text);
      if (rewrite) {
        Files.writeString(p, r.rewritten(), StandardCharsets.UTF_8);
        return;
      }
      assertTrue(r.passed(), () -> r.firstFailure(p.getFileName().toString()));
    }));
  }
}
