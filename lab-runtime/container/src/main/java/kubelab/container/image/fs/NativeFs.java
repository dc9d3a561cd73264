package kubelab.container.image.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few file-system calls Java's NIO lacks, through JNA: {@code mknod} (device nodes, and
 * overlayfs whiteouts, which are 0/0 character devices) and the {@code l*xattr} family (the
 * {@code trusted.overlay.opaque} attribute of opaque directories, {@code security.capability} of
 * files like ping). All calls act on the link itself, never on a symlink's target.
 *
 * <p>Errors come back as {@link IOException} with the path and errno text; EPERM on mknod or on a
 * {@code trusted.*} attribute means "not root". Thread-safe (stateless).
 */
public final class NativeFs {
  private NativeFs() {}

  private interface LibC extends Library {
    int mknod(String path, int mode, long dev) throws LastErrorException;

    int __xmknod(int ver, String path, int mode, LongByReference dev) throws LastErrorException;

    int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

    long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

    long llistxattr(String path, byte[] list, long size) throws LastErrorException;

    int lremovexattr(String path, String name) throws LastErrorException;

    String strerror(int errnum);
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFIFO = 0010000;
  public static final int S_IFMT = 0170000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFLNK = 0120000;
  private static final int ENODATA = 61;
  private static final int ENOTSUP = 95;

  /** Linux's makedev(3): the dev_t of a (major, minor) pair. */
  public static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  public static int major(long dev) {
    return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
  }

  public static int minor(long dev) {
    return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
  }

  /** mknod(2): {@code type} is S_IFCHR, S_IFBLK or S_IFIFO; {@code perm} the permission bits. */
  public static void mknod(Path path, int type, int perm, int major, int minor) throws IOException {
    long dev = makedev(major, minor);
    try {
      try {
        Holder.C.mknod(path.toString(), type | (perm & 07777), dev);
      } catch (UnsatisfiedLinkError old) { // glibc before 2.33 exports only the versioned wrapper
        Holder.C.__xmknod(0, path.toString(), type | (perm & 07777), new LongByReference(dev));
      }
    } catch (LastErrorException e) {
      throw error("mknod", path, e);
    }
  }

  /** Creates an overlayfs whiteout: a character device with device number 0/0. */
  public static void whiteout(Path path) throws IOException {
    mknod(path, S_IFCHR, 0, 0, 0);
  }

  public static void setXattr(Path path, String name, byte[] value) throws IOException {
    try {
      Holder.C.lsetxattr(path.toString(), name, value, value.length, 0);
    } catch (LastErrorException e) {
      throw error("setxattr " + name, path, e);
    }
  }

  /** The attribute's value, or null when the file does not have it (or the file system has no xattrs). */
  public static byte[] getXattr(Path path, String name) throws IOException {
    try {
      byte[] buf = new byte[256];
      while (true) {
        try {
          long n = Holder.C.lgetxattr(path.toString(), name, buf, buf.length);
          return java.util.Arrays.copyOf(buf, (int) n);
        } catch (LastErrorException e) {
          if (e.getErrorCode() != 34 /* ERANGE */ || buf.length > 1 << 20) throw e;
          buf = new byte[buf.length * 4];
        }
      }
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) return null;
      throw error("getxattr " + name, path, e);
    }
  }

  /** Names of the file's extended attributes (all namespaces this process may see). */
  public static List<String> listXattrs(Path path) throws IOException {
    List<String> names = new ArrayList<>();
    try {
      long n = Holder.C.llistxattr(path.toString(), null, 0);
      if (n <= 0) return names;
      byte[] buf = new byte[(int) n + 256];
      n = Holder.C.llistxattr(path.toString(), buf, buf.length);
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == 0) {
          if (i > start) names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return names;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOTSUP) return names;
      throw error("listxattr", path, e);
    }
  }

  private static IOException error(String op, Path path, LastErrorException e) {
    String text;
    try {
      text = Holder.C.strerror(e.getErrorCode());
    } catch (Throwable t) {
      text = "errno " + e.getErrorCode();
    }
    String hint = e.getErrorCode() == 1 ? " (this needs root)" : "";
    return new IOException(op + " " + path + ": " + text + hint);
  }
}
