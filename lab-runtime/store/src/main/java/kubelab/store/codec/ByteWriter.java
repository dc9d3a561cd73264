package kubelab.store.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array written front to back: the one encoder under every binary format of the
 * store (log commands, WAL records, Raft messages, the client protocol).
 *
 * <p>Integers are unsigned LEB128 varints (small numbers, which most revisions, indexes and terms
 * are, take one or two bytes); fixed-width ints exist for headers that are patched afterwards
 * (frame lengths, CRCs). Byte arrays and strings are length-prefixed. Not thread-safe.
 */
public final class ByteWriter {
  private byte[] buf;
  private int pos;

  public ByteWriter() {
    this(128);
  }

  public ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /** Unsigned varint; negative numbers take ten bytes (they are rare: lease 0 is the common case). */
  public ByteWriter varLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter varInt(int v) {
    return varLong(v & 0xFFFFFFFFL);
  }

  /** Big-endian 32-bit int. */
  public ByteWriter i32(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter i64(long v) {
    i32((int) (v >>> 32));
    return i32((int) v);
  }

  /** Overwrites 4 bytes at {@code at} (for lengths and checksums known only after the body). */
  public void putI32At(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  public ByteWriter raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Length-prefixed bytes; null is written as empty. */
  public ByteWriter bytes(byte[] b) {
    if (b == null) return varInt(0);
    varInt(b.length);
    return raw(b, 0, b.length);
  }

  /** Length-prefixed UTF-8; null is written as the single byte 0 followed by a marker (see ByteReader#nullableString). */
  public ByteWriter string(String s) {
    // Kubernetes keys are ASCII: take the fast path without an intermediate array.
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return bytes(s.getBytes(StandardCharsets.UTF_8));
    varInt(n);
    ensure(n);
    for (int i = 0; i < n; i++) buf[pos++] = (byte) s.charAt(i);
    return this;
  }

  /** A string that may be null: a presence byte, then the string. */
  public ByteWriter nullableString(String s) {
    if (s == null) return u8(0);
    u8(1);
    return string(s);
  }

  public int position() {
    return pos;
  }

  /** Moves the write position back to {@code p} (to discard what was written after it). */
  public void truncate(int p) {
    pos = p;
  }

  /** The underlying array; only the first {@link #position()} bytes are meaningful. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  public void reset() {
    pos = 0;
  }
}
