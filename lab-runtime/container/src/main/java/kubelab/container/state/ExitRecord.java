package kubelab.container.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * How a container ended, as its supervisor (kubelab-shim) recorded it in the {@code exit} file:
 * {@code key=value} lines, written to a temporary file and renamed, so a reader sees all or
 * nothing.
 *
 * @param exitCode   the process's exit status, or 128 + the signal that killed it (Docker's rule)
 * @param signal     the killing signal, 0 if it exited
 * @param oomKilled  the cgroup's OOM killer killed a process of the container
 * @param finishedAt ISO-8601 instant
 * @param error      set when the container's process failed before it could run its command
 */
public record ExitRecord(int exitCode, int signal, boolean oomKilled, String finishedAt, String error) {

  /** Reads the exit file, or returns null when the container has not exited (no file yet). */
  public static ExitRecord read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
    int code = 0, sig = 0;
    boolean oom = false;
    String fin = "", err = null;
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) continue;
      String k = line.substring(0, eq), v = line.substring(eq + 1);
      switch (k) {
        case "exit_code" -> code = Integer.parseInt(v.trim());
        case "signal" -> sig = Integer.parseInt(v.trim());
        case "oom_killed" -> oom = v.trim().equals("1");
        case "finished_at" -> fin = v.trim();
        case "error" -> err = v;
        default -> { }
      }
    }
    return new ExitRecord(code, sig, oom, fin, err);
  }

  /** Writes an exit record (used when the supervisor could not: it was killed). */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, "exit_code=" + exitCode + "\nsignal=" + signal + "\noom_killed=" + (oomKilled ? 1 : 0)
        + "\nfinished_at=" + finishedAt + "\n" + (error == null ? "" : "error=" + error + "\n"));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
