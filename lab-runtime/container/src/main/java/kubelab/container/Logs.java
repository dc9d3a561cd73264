package kubelab.container;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reading a container's log file, written by its supervisor in the CRI format the kubelet
 * reads ({@code <RFC3339Nano time> <stdout|stderr> <F|P> <text>}; P marks a partial line that
 * continues in the next record). {@code lab logs} prints the text to stdout/stderr as it was
 * written; {@code -f} keeps reading until the container has exited.
 */
public final class Logs {
  private Logs() {}

  /**
   * Copies the log of {@code r} to {@code out}/{@code err}.
   *
   * @param tail       only the last {@code tail} lines (-1 for all)
   * @param timestamps prefix each line with its time
   * @param follow     keep reading new lines until the container exits
   */
  public static void copy(LinuxRuntime rt, String ref, OutputStream out, OutputStream err, int tail, boolean timestamps,
                          boolean follow) throws IOException {
    var r = rt.get(ref);
    Path file = Path.of(r.logPath);
    long pos = 0;
    if (Files.exists(file) && tail >= 0) {
      Deque<String> last = new ArrayDeque<>();
      for (String line : Files.readAllLines(file)) {
        last.addLast(line);
        if (last.size() > tail) last.removeFirst();
      }
      for (String line : last) emit(line, out, err, timestamps);
      pos = Files.size(file);
    }
    StringBuilder partial = new StringBuilder();
    while (true) {
      if (Files.exists(file)) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
          if (raf.length() > pos) {
            raf.seek(pos);
            byte[] buf = new byte[(int) Math.min(raf.length() - pos, 1 << 20)];
            raf.readFully(buf);
            pos += buf.length;
            partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
              emit(partial.substring(0, nl), out, err, timestamps);
              partial.delete(0, nl + 1);
            }
            continue;
          }
        }
      }
      if (!follow) break;
      ContainerState s = rt.state(r);
      if (!s.running()) {
        if (Files.exists(file) && Files.size(file) > pos) continue;
        break;
      }
      LinuxRuntime.sleep(Params.LOG_FOLLOW_POLL);
    }
    out.flush();
    err.flush();
  }

  private static void emit(String line, OutputStream out, OutputStream err, boolean timestamps) throws IOException {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c < 0) return;
    String ts = line.substring(0, a), stream = line.substring(a + 1, b), tag = line.substring(b + 1, c);
    String text = line.substring(c + 1);
    OutputStream o = stream.equals("stderr") ? err : out;
    if (timestamps) o.write((ts + " ").getBytes(StandardCharsets.UTF_8));
    o.write(text.getBytes(StandardCharsets.UTF_8));
    if (tag.equals("F")) o.write('\n');
  }
}
