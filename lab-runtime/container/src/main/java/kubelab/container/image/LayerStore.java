package kubelab.container.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import kubelab.container.image.fs.LayerUnpacker;
import kubelab.container.image.fs.Trees;
import kubelab.container.image.oci.Layout;
import kubelab.container.image.oci.Json;
import kubelab.container.image.tar.Compression;

/**
 * Unpacked layers, the overlayfs side of the store: {@code <images>/layers/<diff-id hex>/diff} is
 * the layer's tree with overlayfs whiteouts (ready to be a {@code lowerdir}), and
 * {@code layer.json} beside it records the diff id and the content size. The layout mirrors
 * Docker's overlay2 ({@code /var/lib/docker/overlay2/<id>/diff}).
 *
 * <p>Each layer also has a short name, {@code <images>/l/<26 hex digits of its diff id>}, a symlink
 * to its {@code diff} directory, as overlay2 keeps {@code /var/lib/docker/overlay2/l/}: the
 * overlayfs mount options (the colon-joined {@code lowerdir=} list) must fit in one page (4096
 * bytes), and with the full paths an image of about 40 layers would not mount. The runtime gets
 * the short names ({@link #linkPath}); inspect shows the real directories.
 *
 * <p>A layer is keyed by its diff id (the digest of the uncompressed tar), so a gzip and a plain
 * blob of the same content share one directory, and every image that contains a layer shares it
 * read-only. Unpacking happens once, into a staging directory that is renamed into place only
 * after the content's digest matched the diff id: a directory under {@code layers/} is always
 * complete. Thread-safe; concurrent unpacks of the same layer race harmlessly (the loser's copy
 * is dropped).
 */
public final class LayerStore {
  private final Path dir;
  private final Layout layout;

  public LayerStore(Path dir, Layout layout) {
    this.dir = dir;
    this.layout = layout;
  }

  public Path dir() {
    return dir;
  }

  /** The unpacked tree of a layer (may not exist yet). */
  public Path diffDir(String diffId) {
    return dir.resolve(Digest.hex(diffId)).resolve("diff");
  }

  /** Length of a layer's short name in {@code l/}: 104 bits of its diff id, as Docker's 26 characters. */
  static final int SHORT_NAME = 26;

  /** {@code <images>/l/<short>}: the short path of a layer's tree (a symlink to {@link #diffDir}). */
  public Path linkPath(String diffId) {
    return dir.resolveSibling("l").resolve(Digest.hex(diffId).substring(0, SHORT_NAME));
  }

  /** Creates the layer's short link if it is missing (idempotent, safe to race). */
  public Path ensureLink(String diffId) {
    Path link = linkPath(diffId);
    if (Files.isSymbolicLink(link)) return link;
    try {
      Files.createDirectories(link.getParent());
      Path tmp = link.resolveSibling("." + link.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of("..", dir.getFileName().toString(), Digest.hex(diffId), "diff"));
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ImageException("cannot create the short link " + link + " of layer " + diffId + ": " + e.getMessage(), e);
    }
    return link;
  }

  public boolean isUnpacked(String diffId) {
    return Files.isRegularFile(dir.resolve(Digest.hex(diffId)).resolve("layer.json"));
  }

  /** Bytes of regular-file content in the layer (what {@code docker history} shows as SIZE), or 0. */
  public long size(String diffId) {
    Path meta = dir.resolve(Digest.hex(diffId)).resolve("layer.json");
    try {
      if (!Files.exists(meta)) return 0;
      return Json.parse(Files.readAllBytes(meta)).path("size").asLong(0);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Makes sure the layer whose blob is {@code blob} is unpacked, verifying that its uncompressed
   * content hashes to {@code diffId}. {@code lowerDirs} (topmost first) serve hard links into
   * earlier layers.
   *
   * @throws ImageException if the content does not match or the tar is damaged (nothing is left behind)
   */
  public Path ensureUnpacked(String diffId, String blobDigest, List<Path> lowerDirs) {
    if (isUnpacked(diffId)) {
      ensureLink(diffId);
      return diffDir(diffId);
    }
    Path stage = null;
    try {
      Files.createDirectories(dir);
      stage = layout.newTempDir("layer-");
      Path diff = Files.createDirectory(stage.resolve("diff"));
      LayerUnpacker.Stats stats;
      String actual;
      try (InputStream raw = layout.openBlob(blobDigest);
           InputStream plain = Compression.decompressed(raw, "layer " + blobDigest);
           Digest.In d = new Digest.In(plain)) {
        stats = LayerUnpacker.unpack(d, diff, lowerDirs);
        d.drain();
        actual = d.digest();
      } catch (EOFException | ZipException e) {
        throw new ImageException("layer " + blobDigest + " is truncated or damaged (" + e.getMessage() + ")");
      }
      if (!actual.equals(diffId)) {
        throw new ImageException("layer " + blobDigest + " does not match its diff id: the config says " + diffId
            + " but the content hashes to " + actual);
      }
      ObjectNode meta = Json.object();
      meta.put("diffId", diffId);
      meta.put("blob", blobDigest);
      meta.put("size", stats.contentBytes());
      meta.put("entries", stats.entries());
      Layout.atomicWrite(stage.resolve("layer.json"), Json.bytes(meta));
      Path target = dir.resolve(Digest.hex(diffId));
      try {
        Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
        stage = null;
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        // another process unpacked it meanwhile; ours is dropped in finally
      }
      ensureLink(diffId);
      return diffDir(diffId);
    } catch (IOException e) {
      throw new ImageException("cannot unpack layer " + blobDigest + ": " + e.getMessage(), e);
    } finally {
      Trees.deleteQuietly(stage);
    }
  }

  /** Removes short links whose layer is gone (a crash between the two deletions). */
  public void removeDanglingLinks() {
    Path l = dir.resolveSibling("l");
    if (!Files.isDirectory(l)) return;
    try (var s = Files.list(l)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // next time
    }
  }

  /** Diff ids of all unpacked layers on disk. */
  public List<String> list() {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (Digest.isValid(Digest.ALGORITHM + ":" + name)) out.add(Digest.ALGORITHM + ":" + name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Deletes an unpacked layer: renamed away first, so a crash never leaves a partial layer in place. */
  public void remove(String diffId) throws IOException {
    Files.deleteIfExists(linkPath(diffId));
    Path p = dir.resolve(Digest.hex(diffId));
    if (!Files.exists(p)) return;
    Path trash = layout.newTempDir("rm-");
    Files.delete(trash);
    Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
    Trees.deleteRecursively(trash);
  }

}
