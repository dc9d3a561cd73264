package kubelab.shell.image;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The process's raw standard streams, for commands that move archives through pipes
 * ({@code lab image save busybox > b.tar}, {@code tar -c . | lab image import - base:1},
 * {@code lab export c > c.tar}). Commands print text through picocli's writers; binary data
 * cannot go through a Writer, so it goes here. Tests replace the streams.
 */
public final class Stdio {
  private Stdio() {}

  private interface LibC extends Library {
    int isatty(int fd);
  }

  public static volatile InputStream in = new FileInputStream(FileDescriptor.in);
  public static volatile OutputStream out = new FileOutputStream(FileDescriptor.out);
  /** Whether standard output is a terminal (tests set this to false). */
  public static volatile java.util.function.BooleanSupplier stdoutIsTerminal = () -> isatty(1);

  static boolean isatty(int fd) {
    try {
      return Native.load("c", LibC.class).isatty(fd) == 1;
    } catch (Throwable t) {
      return System.console() != null;
    }
  }

  /** Docker's refusal to dump an archive onto a terminal. */
  public static void refuseTerminal(String what) {
    if (stdoutIsTerminal.getAsBoolean()) {
      throw new IllegalArgumentException("cowardly refusing to write " + what
          + " to a terminal: use the -o flag or redirect standard output");
    }
  }
}
