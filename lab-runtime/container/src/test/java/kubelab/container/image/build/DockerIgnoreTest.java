package kubelab.container.image.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** .dockerignore matching, case by case, as Docker's patternmatcher decides them. */
class DockerIgnoreTest {
  @Test
  void patternsMatchLikeDockers() {
    Object[][] cases = {
        // patterns, path, excluded?
        {"*.log", "a.log", true},
        {"*.log", "dir/a.log", false},          // * stays within one component
        {"**/*.log", "dir/sub/a.log", true},
        {"**/*.log", "a.log", true},            // **/ matches zero directories too
        {"node_modules", "node_modules/x/y.js", true}, // a matched directory excludes its contents
        {"/build", "build/out", true},          // a leading slash is the context root
        {"tmp?", "tmp1", true},
        {"tmp?", "tmp12", false},
        {"*.bin\n!keep.bin", "keep.bin", false}, // the last matching line wins
        {"!keep.bin\n*.bin", "keep.bin", true},
        {"docs/**\n!docs/README.md", "docs/README.md", false},
        {"# comment\n\n  a.txt  ", "a.txt", true},
        {"[ab].txt", "b.txt", true},
        {"[ab].txt", "c.txt", false},
        {"./x/../y", "y", true},                // cleaned like filepath.Clean
    };
    for (Object[] c : cases) {
      assertEquals(c[2], DockerIgnore.parse((String) c[0]).excluded((String) c[1]), c[0] + " vs " + c[1]);
    }
  }
}
