package kubelab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void helpListsTheCommandGroups() {
    StringWriter out = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
    assertEquals(0, code);
    assertTrue(out.toString().contains("bench"), out.toString());
    assertTrue(out.toString().contains("dev"), out.toString());
  }

  @Test
  void anUnknownCommandIsAUsageErrorNotAStackTrace() {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "no-such-command");
    assertEquals(2, code);
    assertTrue(err.toString().contains("Unmatched argument"), err.toString());
    assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
  }
}
