package kubelab.container.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import kubelab.container.ContainerException;

/**
 * The runtime's state on disk, so that it survives the CLI and the supervisor:
 *
 * <pre>
 * &lt;root&gt;/containers/&lt;id&gt;/container.json   configuration and state (ContainerRecord)
 *                            exit             how it ended, written by the supervisor
 *                            container.log    stdout/stderr in CRI format
 *                            init/ upper/ work/ merged/   the rootfs layers
 * &lt;root&gt;/names/&lt;name&gt;                       the id owning the name
 * </pre>
 *
 * Names are reserved by creating {@code names/<name>} exclusively (O_EXCL), so two CLIs racing
 * for one name cannot both win, and no lock is held. Records are replaced atomically (write a
 * temporary file, rename), so a reader never sees half a record.
 */
public final class StateStore {
  private final Path root;
  private final Path containers;
  private final Path names;

  public StateStore(Path root) {
    this.root = root;
    this.containers = root.resolve("containers");
    this.names = root.resolve("names");
  }

  public Path root() {
    return root;
  }

  public Path dir(String id) {
    return containers.resolve(id);
  }

  /** Where every container's root is mounted, inside its own mount namespace (never on the host). */
  public Path mountPoint() {
    return root.resolve("mnt");
  }

  /** The empty root of sandbox (pause) containers, which need no image. */
  public Path sandboxRoot() {
    return root.resolve("sandbox-root");
  }

  public void init() {
    try {
      Files.createDirectories(containers);
      Files.createDirectories(names);
      Files.createDirectories(mountPoint());
      Files.createDirectories(sandboxRoot());
    } catch (IOException e) {
      throw new ContainerException("cannot create the state directory " + root + ": " + e.getMessage()
          + (Files.isWritable(root.getParent() == null ? root : root.getParent()) ? "" : " (the runtime needs root: sudo ./lab)"));
    }
  }

  /** Reserves {@code name} for {@code id}; throws if another container has it. */
  public void reserveName(String name, String id) {
    Path p = names.resolve(name);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.write(p, id.getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return;
      } catch (FileAlreadyExistsException e) {
        String owner = idForName(name);
        if (owner != null && !Files.isDirectory(dir(owner)) && owner.length() > 0) {
          // a stale reservation: its container is gone (a CLI died between the two steps)
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // retry below
          }
          continue;
        }
        throw new ContainerException("the container name \"/" + name + "\" is already in use by container \""
            + (owner == null ? "?" : owner) + "\": remove that container (lab rm -f " + name + ") or choose another --name");
      } catch (IOException e) {
        throw new ContainerException("cannot reserve the name " + name + ": " + e.getMessage());
      }
    }
    throw new ContainerException("the container name \"/" + name + "\" is already in use: choose another --name");
  }

  public void releaseName(String name, String id) {
    if (name == null) return;
    Path p = names.resolve(name);
    if (id.equals(idForName(name))) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // GC retries
      }
    }
  }

  public String idForName(String name) {
    try {
      return Files.readString(names.resolve(name), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }

  /** Every name reservation (name → id), including stale ones (for GC). */
  public List<String[]> nameEntries() {
    List<String[]> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(names)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        out.add(new String[] {n, idForName(n)});
      }
    } catch (IOException e) {
      // none
    }
    return out;
  }

  /** The record of {@code id}, or null if there is none (removed, or a half-made directory). */
  public ContainerRecord read(String id) {
    try {
      return ContainerRecord.fromJson(Json.parseObject(Files.readString(dir(id).resolve("container.json"))));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A fresh directory for a container being made, {@code containers.tmp/<pid>-<id>}; it is
   * renamed to {@code containers/<id>} once complete. GC removes those whose process died.
   */
  public Path newTempDir(String id) {
    Path t = root.resolve("containers.tmp").resolve(ProcessHandle.current().pid() + "-" + id);
    try {
      Files.createDirectories(t);
    } catch (IOException e) {
      throw new ContainerException("cannot create " + t + ": " + e.getMessage());
    }
    return t;
  }

  /** Removes temporary directories of creators that died before finishing. */
  public void collectTempDirs() {
    Path tmp = root.resolve("containers.tmp");
    if (!Files.isDirectory(tmp)) return;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        int dash = n.indexOf('-');
        long pid = dash > 0 ? parsePid(n.substring(0, dash)) : -1;
        if (pid <= 0 || ProcessHandle.of(pid).isEmpty()) deleteTree(p);
      }
    } catch (IOException e) {
      // next time
    }
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public void write(ContainerRecord r) {
    writeIn(dir(r.id), r);
  }

  /** Writes {@code r} as {@code d/container.json}, atomically. */
  public void writeIn(Path d, ContainerRecord r) {
    try {
      Path tmp = d.resolve("container.json.tmp");
      Files.writeString(tmp, Json.write(r.toJson(), false));
      Files.move(tmp, d.resolve("container.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContainerException("cannot write the state of container " + r.id + ": " + e.getMessage());
    }
  }

  /** Ids of every container directory, in no particular order. */
  public List<String> ids() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(containers)) {
      for (Path p : ds) out.add(p.getFileName().toString());
    } catch (IOException e) {
      // none yet
    }
    return out;
  }

  /**
   * A name, a full id or an unambiguous id prefix, to an id. Throws Docker's "No such
   * container" when nothing matches.
   */
  public String resolve(String ref) {
    if (ref == null || ref.isBlank()) throw new ContainerException("no container given: name a container (lab ps -a lists them)");
    if (ref.length() == 64 && Files.isDirectory(dir(ref))) return ref; // a full id (the library's usual case)
    String byName = idForName(ref.startsWith("/") ? ref.substring(1) : ref);
    if (byName != null && Files.isDirectory(dir(byName))) return byName;
    if (Files.isDirectory(dir(ref)) && ref.length() == 64) return ref;
    String found = null;
    if (ref.matches("[0-9a-f]+")) {
      for (String id : ids()) {
        if (id.startsWith(ref)) {
          if (found != null)
            throw new ContainerException("multiple containers match \"" + ref + "\": give more of the id");
          found = id;
        }
      }
    }
    if (found == null) throw new ContainerException("No such container: " + ref);
    return found;
  }

  /** Deletes a container's directory tree (never following symlinks or crossing mounts). */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          try {
            Files.deleteIfExists(d);
          } catch (java.nio.file.DirectoryNotEmptyException e) {
            // something still mounted inside (should not happen): leave it for GC to report
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort; GC retries
    }
  }
}
