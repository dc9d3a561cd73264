package kubelab.container.shim;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java end of the protocol with kubelab-shim (see src/main/c/shim.h).
 *
 * <p>Java sends one configuration block (a 4-byte big-endian length and NUL-terminated
 * {@code key=value} entries), then single command bytes ({@code G} go on, {@code K} abort). The
 * shim answers with frames: a type byte, a 4-byte big-endian length and a payload. The shim is
 * spawned with stderr discarded: everything it has to say comes as frames.
 *
 * <p>Not thread-safe: one thread reads frames, and writes go through {@link #send}/{@link #stdin}.
 */
public final class ShimProcess implements AutoCloseable {

  /** Frame types. */
  public static final char TRACE = 'T', PID = 'P', STARTED = 'S', ERROR = 'E', STDOUT = 'O', STDERR = 'R', EXIT = 'X';

  /** One frame from the shim. */
  public record Frame(char type, byte[] data) {
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  /** The configuration block, built entry by entry; keys may repeat (arg, env, ...). */
  public static final class Config {
    private final List<String> entries = new ArrayList<>();

    public Config put(String key, Object value) {
      if (value != null) entries.add(key + "=" + value);
      return this;
    }

    public Config putAll(String key, Iterable<String> values) {
      for (String v : values) put(key, v);
      return this;
    }

    byte[] encode() {
      StringBuilder sb = new StringBuilder();
      for (String e : entries) {
        if (e.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL byte in " + e.substring(0, e.indexOf('=')));
        sb.append(e).append('\0');
      }
      byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[body.length + 4];
      out[0] = (byte) (body.length >>> 24);
      out[1] = (byte) (body.length >>> 16);
      out[2] = (byte) (body.length >>> 8);
      out[3] = (byte) body.length;
      System.arraycopy(body, 0, out, 4, body.length);
      return out;
    }
  }

  private final Process process;
  private final DataInputStream in;
  private final OutputStream out;

  private ShimProcess(Process process) {
    this.process = process;
    this.in = new DataInputStream(process.getInputStream());
    this.out = new BufferedOutputStream(process.getOutputStream());
  }

  /** Starts the shim in {@code mode} and sends it {@code config}. */
  public static ShimProcess spawn(Path binary, String mode, Config config) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), mode);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    ShimProcess s = new ShimProcess(p);
    s.out.write(config.encode());
    s.out.flush();
    return s;
  }

  /** Reads the next frame; throws EOFException when the shim closed its end. */
  public Frame next() throws IOException {
    int type = in.read();
    if (type < 0) throw new EOFException("the runtime's supervisor (kubelab-shim) exited unexpectedly");
    int len = in.readInt();
    byte[] data = new byte[len];
    in.readFully(data);
    return new Frame((char) type, data);
  }

  /** Sends one command byte. */
  public void send(char command) throws IOException {
    out.write(command);
    out.flush();
  }

  /** The shim's stdin after the handshake: the container's stdin when it was started with -i. */
  public OutputStream stdin() {
    return out;
  }

  public Process process() {
    return process;
  }

  /** Closes Java's ends of the pipes (the shim carries on: it is detached). */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    try {
      process.getInputStream().close();
    } catch (IOException e) {
      // already closed
    }
  }
}
