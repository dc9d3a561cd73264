package kubelab.container.sys;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import java.util.Map;

/**
 * Sending signals to processes the runtime did not start in this JVM (a container's PID 1 is a
 * child of its supervisor). SIGTERM and SIGKILL need no native code ({@link ProcessHandle} sends
 * them); any other signal goes through libc's kill(2) via JNA, loaded only when first needed so
 * that short commands do not pay for it.
 */
public final class Signals {
  private Signals() {}

  public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
      SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19;

  private static final Map<String, Integer> NAMES = Map.ofEntries(
      Map.entry("HUP", SIGHUP), Map.entry("INT", SIGINT), Map.entry("QUIT", SIGQUIT), Map.entry("KILL", SIGKILL),
      Map.entry("USR1", SIGUSR1), Map.entry("USR2", SIGUSR2), Map.entry("TERM", SIGTERM),
      Map.entry("CONT", SIGCONT), Map.entry("STOP", SIGSTOP), Map.entry("ABRT", 6), Map.entry("ALRM", 14),
      Map.entry("PIPE", 13), Map.entry("WINCH", 28));

  /** Parses "KILL", "SIGKILL", "sigkill" or "9"; throws IllegalArgumentException otherwise. */
  public static int parse(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("SIG")) t = t.substring(3);
    Integer n = NAMES.get(t);
    if (n != null) return n;
    try {
      int v = Integer.parseInt(t);
      if (v > 0 && v < 65) return v;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("invalid signal \"" + s + "\": use a name like SIGTERM or KILL, or a number 1-64");
  }

  public static String name(int sig) {
    for (var e : NAMES.entrySet()) if (e.getValue() == sig) return "SIG" + e.getKey();
    return "signal " + sig;
  }

  interface LibC extends Library {
    int kill(int pid, int sig);

    long signal(int sig, long handler); // sighandler_t signal(int, sighandler_t); 0 is SIG_DFL
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /** Sends {@code sig} to {@code pid}; returns false if there is no such process. */
  public static boolean kill(long pid, int sig) {
    if (pid <= 0) return false;
    if (sig == SIGTERM || sig == SIGKILL) {
      var h = ProcessHandle.of(pid);
      if (h.isEmpty()) return false;
      return sig == SIGKILL ? h.get().destroyForcibly() : h.get().destroy();
    }
    return Holder.LIBC.kill((int) pid, sig) == 0;
  }

  /** True if this process ignores {@code sig} (the SigIgn mask of /proc/self/status). */
  public static boolean ignored(int sig) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (sig - 1) & 1) != 0;
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // no procfs: assume not ignored
    }
    return false;
  }

  /**
   * Gives {@code sig} its default action again if this process inherited it ignored. A shell
   * without job control starts background commands with SIGINT ignored, and the JVM then refuses
   * to install a handler for it; a command that means to handle the signal resets it first.
   */
  public static void unignore(int sig) {
    if (ignored(sig)) Holder.LIBC.signal(sig, 0L);
  }
}
