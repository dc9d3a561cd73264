package kubelab.container.image.tar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Recognizes how a stream is compressed by its magic bytes (never by a file name or a media type,
 * which may lie) and undoes gzip, the only compression OCI layers and rootfs tarballs commonly use
 * that the JDK can read. Other formats get an error that says what to do.
 */
public final class Compression {
  private Compression() {}

  public enum Kind { NONE, GZIP, ZSTD, XZ, BZIP2 }

  /** Peeks at the first bytes of {@code in} (which must support mark/reset). */
  public static Kind detect(InputStream in) throws IOException {
    in.mark(8);
    byte[] b = new byte[6];
    int n = in.readNBytes(b, 0, b.length);
    in.reset();
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return Kind.GZIP;
    if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) return Kind.ZSTD;
    if (n >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z' && b[5] == 0) return Kind.XZ;
    if (n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') return Kind.BZIP2;
    return Kind.NONE;
  }

  /**
   * The uncompressed content of {@code raw}. {@code what} names the source in errors
   * ("layer sha256:...", "rootfs.tar.xz").
   */
  public static InputStream decompressed(InputStream raw, String what) throws IOException {
    InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 1 << 16);
    Kind k = detect(in);
    return switch (k) {
      case NONE -> in;
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> throw new IOException(what + " is zstd-compressed, which KubeLab cannot read: decompress it (zstd -d) or re-save it with gzip");
      case XZ -> throw new IOException(what + " is xz-compressed, which KubeLab cannot read: decompress it first (xz -d)");
      case BZIP2 -> throw new IOException(what + " is bzip2-compressed, which KubeLab cannot read: decompress it first (bunzip2)");
    };
  }
}
