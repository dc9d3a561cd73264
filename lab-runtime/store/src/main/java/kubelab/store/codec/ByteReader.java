package kubelab.store.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteWriter} wrote. Every read checks bounds and throws {@link
 * CorruptDataException} on a short or malformed input, so a damaged record is reported, never
 * misread. Not thread-safe.
 */
public final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  private void need(int n) {
    if (n < 0 || pos + n > end) throw new CorruptDataException("truncated input: need " + n + " bytes at " + pos + ", have " + (end - pos));
  }

  public int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public boolean bool() {
    int b = u8();
    if (b > 1) throw new CorruptDataException("bad boolean " + b + " at " + (pos - 1));
    return b == 1;
  }

  public long varLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw new CorruptDataException("varint too long at " + pos);
  }

  public int varInt() {
    long v = varLong();
    if (v > 0xFFFFFFFFL) throw new CorruptDataException("int out of range: " + v);
    return (int) v;
  }

  /** A non-negative varint count or length, bounded by what is left to read. */
  public int length() {
    long v = varLong();
    if (v < 0 || v > end - pos) throw new CorruptDataException("length " + v + " exceeds the " + (end - pos) + " bytes left at " + pos);
    return (int) v;
  }

  public int i32() {
    need(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long i64() {
    return ((long) i32() << 32) | (i32() & 0xFFFFFFFFL);
  }

  public byte[] bytes() {
    int n = length();
    byte[] b = new byte[n];
    System.arraycopy(buf, pos, b, 0, n);
    pos += n;
    return b;
  }

  public String string() {
    int n = length();
    boolean ascii = true;
    for (int i = pos; i < pos + n; i++) {
      if (buf[i] < 0) {
        ascii = false;
        break;
      }
    }
    @SuppressWarnings("deprecation")
    String s = ascii ? new String(buf, 0, pos, n) : new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  public String nullableString() {
    return bool() ? string() : null;
  }

  public int remaining() {
    return end - pos;
  }

  public int position() {
    return pos;
  }

  /** Fails unless every byte was consumed (a record with trailing garbage is corrupt). */
  public void expectEnd() {
    if (pos != end) throw new CorruptDataException((end - pos) + " unexpected trailing bytes at " + pos);
  }
}
