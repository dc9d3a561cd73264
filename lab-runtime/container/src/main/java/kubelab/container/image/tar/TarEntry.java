package kubelab.container.image.tar;

import java.util.Map;
import java.util.TreeMap;

/**
 * One member of a tar archive, as POSIX pax (IEEE Std 1003.1-2001 "pax interchange format")
 * describes it after the extended headers have been applied: the full path, type, permission
 * bits (including setuid, setgid and sticky), owner, size, modification time, link target,
 * device numbers and extended attributes ({@code SCHILY.xattr.*} records, as GNU tar and Docker
 * write them; values are raw bytes because {@code security.capability} is binary).
 *
 * <p>{@code name} has no leading {@code ./} or {@code /} and no trailing {@code /}; the archive
 * root itself is the empty name.
 */
public record TarEntry(
    String name,
    Type type,
    int mode,
    long uid,
    long gid,
    long size,
    long mtimeSeconds,
    String linkName,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {

  /** The typeflag byte of the ustar header. */
  public enum Type {
    FILE('0'), HARDLINK('1'), SYMLINK('2'), CHAR('3'), BLOCK('4'), DIR('5'), FIFO('6');

    public final char flag;

    Type(char flag) {
      this.flag = flag;
    }
  }

  public TarEntry {
    xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(xattrs));
    linkName = linkName == null ? "" : linkName;
    if (type != Type.FILE) size = 0;
  }

  public static TarEntry dir(String name, int mode, long mtime) {
    return new TarEntry(name, Type.DIR, mode, 0, 0, 0, mtime, null, 0, 0, null);
  }

  public static TarEntry file(String name, int mode, long size, long mtime) {
    return new TarEntry(name, Type.FILE, mode, 0, 0, size, mtime, null, 0, 0, null);
  }

  public static TarEntry symlink(String name, String target, long mtime) {
    return new TarEntry(name, Type.SYMLINK, 0777, 0, 0, 0, mtime, target, 0, 0, null);
  }

  public TarEntry withName(String newName) {
    return new TarEntry(newName, type, mode, uid, gid, size, mtimeSeconds, linkName, devMajor, devMinor, xattrs);
  }

  public TarEntry withOwner(long newUid, long newGid) {
    return new TarEntry(name, type, mode, newUid, newGid, size, mtimeSeconds, linkName, devMajor, devMinor, xattrs);
  }

  public TarEntry withLinkName(String target) {
    return new TarEntry(name, type, mode, uid, gid, size, mtimeSeconds, target, devMajor, devMinor, xattrs);
  }

  public boolean isDir() {
    return type == Type.DIR;
  }

  public boolean isFile() {
    return type == Type.FILE;
  }

  /** The last path component ("" for the root). */
  public String baseName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  /** The parent directory's name ("" at the top). */
  public String parentName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? "" : name.substring(0, slash);
  }
}
