package kubelab.container.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading process state from /proc (no system calls needed beyond open/read).
 *
 * <p>A pid alone does not name a process for long: pids are reused. The runtime therefore
 * records a process's start time (field 22 of /proc/PID/stat, in clock ticks since boot) with
 * its pid, and treats the pair as the identity, as runc does.
 */
public final class Proc {
  private Proc() {}

  /** The start time of {@code pid} in clock ticks since boot, or -1 if there is no such process. */
  public static long startTime(long pid) {
    if (pid <= 0) return -1;
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // comm (field 2) may contain spaces and parentheses: fields after it start after the last ')'
      int close = stat.lastIndexOf(')');
      String[] f = stat.substring(close + 2).split(" ");
      // f[0] is field 3 (state); start time is field 22
      if ("Z".equals(f[0]) || "X".equals(f[0])) return -1;
      return Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** True when {@code pid} is alive and still the process that started at {@code startTime}. */
  public static boolean alive(long pid, long startTime) {
    long st = startTime(pid);
    return st >= 0 && (startTime <= 0 || st == startTime);
  }

  /** The inode of /proc/PID/ns/KIND (e.g. net:[4026532281] gives 4026532281), or 0. */
  public static long nsInode(long pid, String kind) {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + kind)).toString();
      int a = link.indexOf('['), b = link.indexOf(']');
      return Long.parseLong(link.substring(a + 1, b));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** This JVM's pid. */
  public static long self() {
    return ProcessHandle.current().pid();
  }
}
