package kubelab.container.image.tar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import kubelab.container.image.tar.TarEntry.Type;

/**
 * Streaming tar reader for what image tools write: POSIX ustar, pax extended headers ('x' per
 * entry, 'g' global), GNU long names ('L', 'K') and GNU base-256 numbers.
 *
 * <p>Layout of an archive: a sequence of 512-byte header blocks, each followed by the member's
 * data rounded up to 512 bytes, then two zero blocks. Header fields are NUL/space padded octal
 * ASCII. An extended header is a member of its own whose data holds {@code "LEN KEY=VALUE\n"}
 * records that override the next header's fields (long paths, big sizes, xattrs).
 *
 * <p>Damage is an error, never a silent short read: a bad header checksum, an archive that ends
 * inside a header or inside a member's data, or an unsupported member type (GNU sparse files)
 * throws {@link TarFormatException} with the member's name. Not thread-safe.
 */
public final class TarReader implements AutoCloseable {
  private static final int BLOCK = 512;

  private final InputStream in;
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private final byte[] header = new byte[BLOCK];
  private long remaining; // unread data bytes of the current member
  private long padding;   // padding after the current member's data
  private String current = "";
  private boolean done;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next member, or null after the end-of-archive marker (or a clean end of input). */
  public TarEntry next() throws IOException {
    if (done) return null;
    skipRest();
    Map<String, byte[]> pax = new HashMap<>(globalPax);
    String gnuLongName = null;
    String gnuLongLink = null;
    while (true) {
      if (!readHeader()) {
        done = true;
        return null;
      }
      char flag = (char) header[156];
      long size = number(124, 12, "size");
      if (flag == 'x' || flag == 'g' || flag == 'X') {
        Map<String, byte[]> records = parsePax(readData(size, "pax header"));
        if (flag == 'g') globalPax.putAll(records);
        pax.putAll(records);
        continue;
      }
      if (flag == 'L') {
        gnuLongName = cString(readData(size, "GNU long name"));
        continue;
      }
      if (flag == 'K') {
        gnuLongLink = cString(readData(size, "GNU long link"));
        continue;
      }
      return entry(flag, size, pax, gnuLongName, gnuLongLink);
    }
  }

  /** The current member's data; reading past its end returns -1. Valid until {@link #next}. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) return -1;
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new TarFormatException("truncated archive: the data of \"" + current + "\" ends early");
        remaining -= n;
        return n;
      }
    };
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private TarEntry entry(char flag, long size, Map<String, byte[]> pax, String longName, String longLink)
      throws IOException {
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r';
    boolean posix = ustar && header[262] == 0; // "ustar\0" (POSIX) vs "ustar  \0" (old GNU)
    String name = string(0, 100);
    if (posix) {
      String prefix = string(345, 155);
      if (!prefix.isEmpty()) name = prefix + "/" + name;
    }
    if (longName != null) name = longName;
    if (pax.containsKey("path")) name = utf8(pax.get("path"));
    String link = string(157, 100);
    if (longLink != null) link = longLink;
    if (pax.containsKey("linkpath")) link = utf8(pax.get("linkpath"));
    if (pax.containsKey("size")) size = paxLong(pax, "size");
    long uid = pax.containsKey("uid") ? paxLong(pax, "uid") : number(108, 8, "uid");
    long gid = pax.containsKey("gid") ? paxLong(pax, "gid") : number(116, 8, "gid");
    long mtime = number(136, 12, "mtime");
    if (pax.containsKey("mtime")) {
      String v = utf8(pax.get("mtime"));
      int dot = v.indexOf('.');
      mtime = parseLong(dot < 0 ? v : v.substring(0, dot), "mtime");
    }
    int mode = (int) (number(100, 8, "mode") & 07777);
    Type type = switch (flag) {
      case '0', '\0', '7' -> Type.FILE;
      case '1' -> Type.HARDLINK;
      case '2' -> Type.SYMLINK;
      case '3' -> Type.CHAR;
      case '4' -> Type.BLOCK;
      case '5' -> Type.DIR;
      case '6' -> Type.FIFO;
      case 'S' -> throw new TarFormatException("unsupported tar member \"" + name + "\": GNU sparse files are not supported (re-create the archive without --sparse)");
      default -> throw new TarFormatException("unsupported tar member type '" + flag + "' for \"" + name + "\"");
    };
    if (type == Type.FILE && name.endsWith("/")) type = Type.DIR; // pre-POSIX tars mark dirs by the slash
    int major = 0;
    int minor = 0;
    if (type == Type.CHAR || type == Type.BLOCK) {
      major = (int) number(329, 8, "devmajor");
      minor = (int) number(337, 8, "devminor");
    }
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (var e : pax.entrySet()) {
      if (e.getKey().startsWith("SCHILY.xattr.")) xattrs.put(e.getKey().substring(13), e.getValue());
    }
    name = clean(name);
    current = name;
    // Hard links and other non-file members carry no data, whatever their size field says (except
    // for some writers that give directories a size: skip it).
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    return new TarEntry(name, type, mode, uid, gid, type == Type.FILE ? size : 0, mtime, link, major, minor, xattrs);
  }

  /** Normalizes a member name: no leading "./" or "/", no trailing "/", no "." components. */
  public static String clean(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (out.length() > 0) out.append('/');
      out.append(part);
    }
    return out.toString();
  }

  private boolean readHeader() throws IOException {
    int n = readFully(header);
    if (n == 0) return false; // clean end without the zero blocks: accepted, as GNU tar does
    if (n < BLOCK) {
      throw new TarFormatException("truncated archive: it ends inside a header"
          + (current.isEmpty() ? " (the input is shorter than one 512-byte tar header)" : " (after \"" + current + "\")"));
    }
    boolean zero = true;
    for (byte b : header) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) return false; // end-of-archive marker
    long stored = number(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("not a tar archive, or a damaged one: header checksum mismatch"
          + (current.isEmpty() ? " at the start" : " after \"" + current + "\""));
    }
    return true;
  }

  private byte[] readData(long size, String what) throws IOException {
    if (size < 0 || size > 16 << 20) throw new TarFormatException("tar " + what + " of " + size + " bytes is not plausible");
    byte[] data = new byte[(int) size];
    if (readFully(data) < size) throw new TarFormatException("truncated archive: it ends inside a " + what);
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    if (readFully(new byte[(int) pad]) < pad) throw new TarFormatException("truncated archive: it ends inside a " + what);
    return data;
  }

  private void skipRest() throws IOException {
    long n = remaining + padding;
    remaining = 0;
    padding = 0;
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) throw new TarFormatException("truncated archive: the data of \"" + current + "\" ends early");
      n -= r;
    }
  }

  private int readFully(byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) break;
      off += n;
    }
    return off;
  }

  private String string(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) end++;
    return new String(header, off, end - off, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] b) {
    int end = 0;
    while (end < b.length && b[end] != 0) end++;
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  /** An octal field, or GNU base-256 when the top bit of the first byte is set. */
  private long number(int off, int len, String field) throws TarFormatException {
    if ((header[off] & 0x80) != 0) {
      long v = header[off] & 0x3f;
      for (int i = 1; i < len; i++) v = (v << 8) | (header[off + i] & 0xff);
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      int d = header[i] - '0';
      if (d < 0 || d > 7) {
        throw new TarFormatException("not a tar archive, or a damaged one: bad " + field + " field"
            + (current.isEmpty() ? " in the first header" : " after \"" + current + "\""));
      }
      v = (v << 3) | d;
    }
    return v;
  }

  /** Parses "LEN KEY=VALUE\n" records; LEN counts the whole record in bytes. Values stay bytes. */
  private static Map<String, byte[]> parsePax(byte[] data) throws TarFormatException {
    Map<String, byte[]> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) break;
      int sp = pos;
      while (sp < data.length && data[sp] != ' ') sp++;
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new TarFormatException("damaged pax extended header (bad record length)");
      }
      int end = pos + len;
      if (len <= 0 || end > data.length || data[end - 1] != '\n') throw new TarFormatException("damaged pax extended header");
      int eq = sp + 1;
      while (eq < end && data[eq] != '=') eq++;
      if (eq >= end) throw new TarFormatException("damaged pax extended header (record without '=')");
      String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      out.put(key, value);
      pos = end;
    }
    return out;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static long paxLong(Map<String, byte[]> pax, String key) throws TarFormatException {
    return parseLong(utf8(pax.get(key)), key);
  }

  private static long parseLong(String v, String key) throws TarFormatException {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new TarFormatException("damaged pax extended header: bad " + key + " \"" + v + "\"");
    }
  }

  /** Thrown for damaged or unsupported archives; the message names the member. */
  public static final class TarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public TarFormatException(String message) {
      super(message);
    }
  }
}
