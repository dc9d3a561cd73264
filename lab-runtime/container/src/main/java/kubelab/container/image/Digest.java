package kubelab.container.image;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Content addresses: {@code sha256:<64 hex>} as OCI and Docker write them.
 *
 * <p>Everything in the image store is named by the sha256 of its bytes: a blob's file name is its
 * digest, an image id is the digest of its config, a layer's diff id is the digest of its
 * uncompressed tar. The two stream wrappers compute a digest while the bytes flow, so an import
 * reads every byte once and still verifies it.
 */
public final class Digest {
  public static final String ALGORITHM = "sha256";
  private static final Pattern VALID = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digest() {}

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  public static String of(byte[] bytes) {
    return format(newSha256().digest(bytes));
  }

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Digest of a file's bytes (reads the whole file). */
  public static String of(Path file) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return format(md.digest());
  }

  public static String format(byte[] sha256) {
    return ALGORITHM + ":" + HexFormat.of().formatHex(sha256);
  }

  public static boolean isValid(String digest) {
    return digest != null && VALID.matcher(digest).matches();
  }

  /** The 64 hex characters of a valid digest; throws on anything else (never trust a name read from disk). */
  public static String hex(String digest) {
    if (!isValid(digest)) throw new ImageException("invalid digest \"" + digest + "\": expected sha256:<64 hex digits>");
    return digest.substring(ALGORITHM.length() + 1);
  }

  /** An input stream that digests and counts what is read through it. */
  public static final class In extends FilterInputStream {
    private final MessageDigest md = newSha256();
    private long count;

    public In(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        md.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) break;
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads to the end, so the digest covers the whole stream (tar readers stop at the end marker). */
    public void drain() throws IOException {
      byte[] buf = new byte[1 << 16];
      while (read(buf, 0, buf.length) > 0) {}
    }

    public String digest() {
      return format(md.digest());
    }

    public long count() {
      return count;
    }
  }

  /** An output stream that digests and counts what is written through it. */
  public static final class Out extends FilterOutputStream {
    private final MessageDigest md = newSha256();
    private long count;

    public Out(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      md.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      md.update(b, off, len);
      count += len;
    }

    public String digest() {
      return format(md.digest());
    }

    public long count() {
      return count;
    }
  }
}
