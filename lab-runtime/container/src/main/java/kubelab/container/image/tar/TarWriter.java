package kubelab.container.image.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes POSIX pax archives: a plain ustar header for every member, preceded by a pax extended
 * header only when ustar cannot hold the member (a path over 100 bytes that cannot be split at a
 * slash into prefix and name, non-ASCII names, sizes of 8 GiB or more, large ids, xattrs).
 *
 * <p>Output is deterministic: the bytes depend only on the entries given, in the order given
 * (no user or group names, no atime/ctime, no padding to tar's 10 KiB record size), so the same
 * tree packs to the same digest. Directories are written with a trailing slash, as Docker and Go's
 * archive/tar do. Not thread-safe. {@link #close} writes the end marker and closes the stream.
 */
public final class TarWriter implements AutoCloseable {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_12 = 077777777777L;
  private static final long MAX_OCTAL_8 = 07777777L;

  private final OutputStream out;
  private boolean finished;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Adds a member whose data (exactly {@code e.size()} bytes for a file) comes from {@code data}. */
  public void add(TarEntry e, InputStream data) throws IOException {
    writeHeaders(e);
    if (e.type() != TarEntry.Type.FILE) return;
    long left = e.size();
    byte[] buf = new byte[1 << 16];
    while (left > 0) {
      int n = data.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) throw new IOException("\"" + e.name() + "\" shrank while it was being archived (" + left + " bytes missing)");
      out.write(buf, 0, n);
      left -= n;
    }
    pad(e.size());
  }

  public void add(TarEntry e, byte[] data) throws IOException {
    if (e.type() == TarEntry.Type.FILE && data.length != e.size()) throw new IllegalArgumentException("size mismatch for " + e.name());
    add(e, new java.io.ByteArrayInputStream(data));
  }

  /** Adds a member without data (directory, link, device, fifo, or an empty file). */
  public void add(TarEntry e) throws IOException {
    if (e.type() == TarEntry.Type.FILE && e.size() != 0) throw new IllegalArgumentException("file " + e.name() + " needs data");
    writeHeaders(e);
  }

  /** Writes the end-of-archive marker (two zero blocks) without closing the stream. */
  public void finish() throws IOException {
    if (finished) return;
    finished = true;
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }

  private void writeHeaders(TarEntry e) throws IOException {
    String name = e.isDir() && !e.name().isEmpty() ? e.name() + "/" : e.name();
    if (name.isEmpty()) name = "./";
    Map<String, byte[]> pax = new LinkedHashMap<>();
    String[] split = splitUstar(name);
    if (split == null) pax.put("path", utf8(name));
    boolean linkFits = isAscii(e.linkName()) && utf8(e.linkName()).length <= 100;
    if (!linkFits) pax.put("linkpath", utf8(e.linkName()));
    if (e.size() > MAX_OCTAL_12) pax.put("size", utf8(Long.toString(e.size())));
    if (e.uid() > MAX_OCTAL_8 || e.uid() < 0) pax.put("uid", utf8(Long.toString(e.uid())));
    if (e.gid() > MAX_OCTAL_8 || e.gid() < 0) pax.put("gid", utf8(Long.toString(e.gid())));
    if (e.mtimeSeconds() > MAX_OCTAL_12 || e.mtimeSeconds() < 0) pax.put("mtime", utf8(Long.toString(e.mtimeSeconds())));
    for (var x : e.xattrs().entrySet()) pax.put("SCHILY.xattr." + x.getKey(), x.getValue());

    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      String base = asciiBase(e.name());
      byte[] h = header("PaxHeaders/" + base, "", 'x', 0644, 0, 0, records.length, clampTime(e.mtimeSeconds()), 0, 0);
      out.write(h);
      out.write(records);
      pad(records.length);
    }
    if (split == null) split = new String[] {"", asciiBase(name)};
    byte[] h = header(split[1], split[0], e.type().flag, e.mode() & 07777,
        clampId(e.uid()), clampId(e.gid()), e.size() > MAX_OCTAL_12 ? 0 : e.size(), clampTime(e.mtimeSeconds()),
        e.devMajor(), e.devMinor());
    if (linkFits) put(h, 157, 100, e.linkName());
    fixChecksum(h);
    out.write(h);
  }

  /** Splits a path into ustar's (prefix, name) or returns null when it does not fit. */
  private static String[] splitUstar(String path) {
    if (!isAscii(path)) return null;
    if (path.length() <= 100) return new String[] {"", path};
    // The prefix takes everything up to some slash (at most 155 bytes), the name the rest (at most 100).
    for (int i = Math.min(path.length() - 1, 155); i > 0; i--) {
      if (path.charAt(i) == '/' && path.length() - i - 1 <= 100 && path.length() - i - 1 > 0) {
        return new String[] {path.substring(0, i), path.substring(i + 1)};
      }
    }
    return null;
  }

  private static byte[] header(String name, String prefix, char type, int mode, long uid, long gid, long size,
                               long mtime, int major, int minor) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    put(h, 257, 6, "ustar");
    h[263] = '0';
    h[264] = '0';
    if (type == '3' || type == '4') {
      octal(h, 329, 8, major);
      octal(h, 337, 8, minor);
    }
    put(h, 345, 155, prefix);
    fixChecksum(h);
    return h;
  }

  private static void fixChecksum(byte[] h) {
    for (int i = 148; i < 156; i++) h[i] = ' ';
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    String s = String.format("%06o", sum);
    put(h, 148, 6, s);
    h[154] = 0;
    h[155] = ' ';
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    StringBuilder b = new StringBuilder();
    for (int i = s.length(); i < len - 1; i++) b.append('0');
    b.append(s);
    put(h, off, len - 1, b.toString());
    h[off + len - 1] = 0;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(len, b.length));
  }

  private void pad(long size) throws IOException {
    int p = (int) ((BLOCK - size % BLOCK) % BLOCK);
    if (p > 0) out.write(new byte[p]);
  }

  /** "LEN KEY=VALUE\n" records, LEN counting the whole record including its own digits. */
  static byte[] paxRecords(Map<String, byte[]> pax) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (var e : pax.entrySet()) {
      byte[] key = utf8(e.getKey());
      int base = key.length + e.getValue().length + 3; // ' ', '=', '\n'
      int digits = 1;
      while (Integer.toString(base + digits).length() != digits) digits++;
      int len = base + digits;
      b.writeBytes(utf8(Integer.toString(len)));
      b.write(' ');
      b.writeBytes(key);
      b.write('=');
      b.writeBytes(e.getValue());
      b.write('\n');
    }
    return b.toByteArray();
  }

  private static String asciiBase(String name) {
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    int slash = n.lastIndexOf('/');
    String base = slash < 0 ? n : n.substring(slash + 1);
    StringBuilder b = new StringBuilder();
    for (char c : base.toCharArray()) b.append(c < 128 && c >= 32 ? c : '_');
    String s = b.toString() + (name.endsWith("/") ? "/" : "");
    return s.length() > 90 ? s.substring(0, 90) : s;
  }

  private static long clampId(long id) {
    return id < 0 || id > MAX_OCTAL_8 ? 0 : id;
  }

  private static long clampTime(long t) {
    return t < 0 || t > MAX_OCTAL_12 ? 0 : t;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return false;
    return true;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
