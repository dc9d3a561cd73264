package kubelab.container.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import kubelab.container.ContainerException;
import kubelab.container.Trace;

/** Reading and writing cgroup files, with the step traced and kernel refusals turned into sentences. */
final class CgroupFiles {
  private CgroupFiles() {}

  static void write(Path file, String value, Trace trace, String flag) {
    trace.step("write " + file + " \"" + value + "\"");
    try {
      Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new ContainerException("this kernel has no " + file.getFileName() + " (cgroup controller missing)"
          + (flag == null ? "" : ": drop " + flag + " or enable the controller"));
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new ContainerException("the kernel refused " + (flag == null ? "" : flag + " ") + "\"" + value + "\" ("
          + file.getFileName() + ": " + why + ")" + hint(file));
    }
  }

  static String hint(Path file) {
    String n = file.getFileName().toString();
    if (n.startsWith("cpuset.cpus")) {
      return ": use CPUs this machine has (" + readOr(Path.of("/sys/devices/system/cpu/online"), "?").trim() + ")";
    }
    if (n.startsWith("memory.")) return ": the limit may be below what the kernel needs; try a larger value";
    return "";
  }

  /** The pids in a cgroup.procs file (none when it is gone). */
  static java.util.List<Long> pids(Path procs) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (String l : readOr(procs, "").split("\n")) if (!l.isBlank()) out.add(Long.parseLong(l.trim()));
    return out;
  }

  /** Waits up to a second for a cgroup.procs file to list no process. */
  static void awaitEmpty(Path procs) {
    for (int i = 0; i < 200 && !pids(procs).isEmpty(); i++) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static String readOr(Path file, String dflt) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return dflt;
    }
  }

  static void mkdir(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // a leftover of a crashed run with the same id is impossible (ids are random); a parent is fine
    } catch (IOException e) {
      throw new ContainerException("cannot create cgroup " + dir + ": " + e.getMessage()
          + " (the runtime needs root: sudo ./lab)");
    }
  }

  /**
   * Runs {@code makeParentAndChild} again (twice at most) when it failed because {@code parent}
   * disappeared meanwhile: another process's GC removes a parent cgroup once it is empty, and may
   * do so between our making (or finding) it and our mkdir of the child under it.
   */
  static void retryIfParentVanishes(Path parent, Runnable makeParentAndChild) {
    for (int attempt = 0; ; attempt++) {
      try {
        makeParentAndChild.run();
        return;
      } catch (ContainerException e) {
        if (attempt >= 2 || Files.isDirectory(parent)) throw e;
      }
    }
  }

  /** rmdir, retrying while the last exiting tasks still hold the cgroup busy. */
  static void rmdir(Path dir) {
    for (int i = 0; i < 200; i++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static boolean counterAboveZero(Path file, String key) {
    for (String line : readOr(file, "").split("\n")) {
      if (line.startsWith(key + " ")) {
        try {
          return Long.parseLong(line.substring(key.length() + 1).trim()) > 0;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }
}
