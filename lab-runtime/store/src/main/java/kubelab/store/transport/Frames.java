package kubelab.store.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import kubelab.store.Params;
import kubelab.store.codec.ByteWriter;

/**
 * Length-prefixed frames on a TCP stream: {@code u32 length, payload}. Every connection on a
 * member's one port starts with a hello frame whose first byte says what follows: Raft messages
 * from a peer, or client requests.
 *
 * <pre>
 *   peer hello:   u8 PEER,   u8 version, i64 cluster id, varint from, varint to
 *                 answered by one frame: u8 ACCEPTED | REMOVED | REFUSED, string reason
 *   client hello: u8 CLIENT, u8 version
 * </pre>
 */
public final class Frames {
  private Frames() {}

  public static final int PEER = 1;
  public static final int CLIENT = 2;
  public static final int VERSION = 1;

  /** Answers to a peer hello: go ahead; you were removed from the cluster (stop); not you (another cluster, wrong member). */
  public static final int ACCEPTED = 0, REMOVED = 1, REFUSED = 2;

  /** Reserves the 4-byte length of a frame in {@code w}; returns its start for {@link #endFrame}. */
  public static int beginFrame(ByteWriter w) {
    int start = w.position();
    w.i32(0);
    return start;
  }

  public static void endFrame(ByteWriter w, int start) {
    w.putI32At(start, w.position() - start - 4);
  }

  /** Writes the frames accumulated in {@code w} (without flushing) and resets it. */
  public static void drainTo(ByteWriter w, OutputStream out) throws IOException {
    out.write(w.array(), 0, w.position());
    w.reset();
  }

  /** Reads one frame's payload. */
  public static byte[] read(DataInputStream in) throws IOException {
    int len;
    try {
      len = in.readInt();
    } catch (EOFException e) {
      throw new EOFException("connection closed");
    }
    if (len < 0 || len > Params.MAX_FRAME_BYTES) throw new IOException("bad frame length " + len + ": not a KubeLab store peer or client");
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
