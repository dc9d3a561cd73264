package kubelab.container.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.container.image.fs.Trees;
import kubelab.container.image.oci.Json;
import kubelab.container.image.oci.Layout;
import kubelab.container.image.oci.Oci;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;

/**
 * {@code lab image save}: writes images as an OCI image layout, either as a directory or as a tar
 * of one (the default, what {@code docker save} writes since Docker 25). Each tag becomes an index
 * entry named the way Docker and containerd name them: {@code org.opencontainers.image.ref.name}
 * is the tag ({@code skopeo inspect oci:DIR:latest}), {@code io.containerd.image.name} the full
 * name. The tar also holds a {@code manifest.json} in {@code docker save}'s legacy shape, so
 * {@code docker load} reads it too.
 *
 * <p>Blobs are copied unchanged, so digests (manifest, config = image id, layers) are the store's;
 * the tar is deterministic (sorted members, fixed owners, the newest image's creation time).
 * Output to a path is written beside it and renamed into place: an interrupted save leaves no
 * partial archive under the requested name.
 */
public final class ImageSaver {
  private ImageSaver() {}

  public enum Format { TAR, OCI_DIR }

  private record Entry(StoredImage image, String tag) {}

  /** Saves the images {@code references} name to {@code out} (a tar file, or a directory for OCI_DIR). */
  public static void save(OciImageStore store, List<String> references, Path out, Format format) {
    List<Entry> entries = entries(store, references);
    try {
      if (format == Format.OCI_DIR) {
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
          throw new ImageException("cannot save to " + out + ": it exists and is not an empty directory");
        }
        Path tmp = out.resolveSibling("." + out.getFileName() + ".saving-" + ProcessHandle.current().pid());
        Trees.deleteRecursively(tmp);
        try {
          writeDir(store, entries, tmp);
          if (Files.exists(out)) Files.delete(out);
          Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Trees.deleteQuietly(tmp);
        }
      } else {
        if (Files.isDirectory(out)) throw new ImageException("cannot save to " + out + ": it is a directory (use --format oci for a layout directory)");
        Path tmp = out.resolveSibling("." + out.getFileName() + ".saving-" + ProcessHandle.current().pid());
        try {
          try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            writeTar(store, entries, os);
          }
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    } catch (IOException e) {
      throw new ImageException("cannot save to " + out + ": " + e.getMessage(), e);
    }
  }

  /** Saves as a tar to a stream (standard output). The stream is not closed. */
  public static void save(OciImageStore store, List<String> references, OutputStream out) {
    List<Entry> entries = entries(store, references);
    try {
      writeTar(store, entries, out);
      out.flush();
    } catch (IOException e) {
      throw new ImageException("cannot write the archive: " + e.getMessage(), e);
    }
  }

  private static List<Entry> entries(OciImageStore store, List<String> references) {
    if (references.isEmpty()) throw new ImageException("save needs at least one image");
    List<Entry> out = new ArrayList<>();
    for (String ref : references) {
      StoredImage s = store.details(ref);
      String tag = null;
      if (!Reference.isFullId(ref)) {
        try {
          String key = Reference.parse(ref).nameTag();
          if (s.tags().contains(key)) tag = key;
        } catch (ImageException idPrefix) {
          // an id prefix: no tag
        }
      }
      if (tag == null && s.tags().isEmpty()) out.add(new Entry(s, null));
      else if (tag == null) for (String t : s.tags()) out.add(new Entry(s, t));
      else out.add(new Entry(s, tag));
    }
    return out;
  }

  /** The blobs to write: digest -> source path in the store, sorted by digest. */
  private static Map<String, Path> blobs(OciImageStore store, List<Entry> entries) {
    Map<String, Path> blobs = new TreeMap<>();
    for (Entry e : entries) {
      StoredImage s = e.image();
      blobs.put(s.manifestDigest(), store.layout().blobPath(s.manifestDigest()));
      blobs.put(s.id(), store.layout().blobPath(s.id()));
      for (Oci.Descriptor l : s.manifest().layers()) blobs.put(l.digest(), store.layout().blobPath(l.digest()));
    }
    for (var b : blobs.entrySet()) {
      if (!Files.isRegularFile(b.getValue())) {
        throw new ImageException("the image store is missing blob " + b.getKey() + ": the image is damaged; remove and re-import it");
      }
    }
    return blobs;
  }

  /** index.json: one manifest descriptor per (image, tag), named as Docker and containerd name them. */
  private static byte[] indexJson(OciImageStore store, List<Entry> entries) throws IOException {
    List<Oci.Descriptor> ds = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, String> ann = new LinkedHashMap<>();
      if (e.tag() != null) {
        ann.put(Oci.CONTAINERD_IMAGE_NAME, e.tag());
        ann.put(Oci.REF_NAME, e.tag().substring(e.tag().lastIndexOf(':') + 1));
      }
      long size = Files.size(store.layout().blobPath(e.image().manifestDigest()));
      ds.add(new Oci.Descriptor(Oci.MANIFEST_V1, e.image().manifestDigest(), size, ann, null));
    }
    return Oci.bytes(Oci.Index.of(ds));
  }

  private static byte[] dockerManifestJson(List<Entry> entries) throws IOException {
    Map<String, ObjectNode> byImage = new LinkedHashMap<>();
    ArrayNode arr = Json.nodes().arrayNode();
    for (Entry e : entries) {
      ObjectNode n = byImage.get(e.image().id());
      if (n == null) {
        n = arr.addObject();
        n.put("Config", "blobs/sha256/" + Digest.hex(e.image().id()));
        n.putArray("RepoTags");
        ArrayNode layers = n.putArray("Layers");
        for (Oci.Descriptor l : e.image().manifest().layers()) layers.add("blobs/sha256/" + Digest.hex(l.digest()));
        byImage.put(e.image().id(), n);
      }
      if (e.tag() != null) ((ArrayNode) n.get("RepoTags")).add(e.tag());
    }
    return Json.bytes(arr);
  }

  private static void writeDir(OciImageStore store, List<Entry> entries, Path dir) throws IOException {
    Map<String, Path> blobs = blobs(store, entries);
    Path blobDir = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    for (var b : blobs.entrySet()) {
      Path target = blobDir.resolve(Digest.hex(b.getKey()));
      try {
        Files.createLink(target, b.getValue()); // same file system: share the bytes
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(b.getValue(), target);
      }
    }
    Layout.atomicWrite(dir.resolve("index.json"), indexJson(store, entries));
    Layout.atomicWrite(dir.resolve(Oci.LAYOUT_FILE), Oci.bytes(new Oci.LayoutFile(Oci.LAYOUT_VERSION)));
  }

  private static void writeTar(OciImageStore store, List<Entry> entries, OutputStream os) throws IOException {
    Map<String, Path> blobs = blobs(store, entries);
    long mtime = entries.stream().mapToLong(e -> e.image().created().getEpochSecond()).max().orElse(0);
    TarWriter w = new TarWriter(os);
    w.add(TarEntry.dir("blobs", 0755, mtime));
    w.add(TarEntry.dir("blobs/sha256", 0755, mtime));
    for (var b : blobs.entrySet()) {
      try (InputStream in = Files.newInputStream(b.getValue())) {
        w.add(TarEntry.file("blobs/sha256/" + Digest.hex(b.getKey()), 0644, Files.size(b.getValue()), mtime), in);
      }
    }
    byte[] index = indexJson(store, entries);
    w.add(TarEntry.file("index.json", 0644, index.length, mtime), index);
    byte[] manifest = dockerManifestJson(entries);
    w.add(TarEntry.file("manifest.json", 0644, manifest.length, mtime), manifest);
    byte[] layout = Oci.bytes(new Oci.LayoutFile(Oci.LAYOUT_VERSION));
    w.add(TarEntry.file(Oci.LAYOUT_FILE, 0644, layout.length, mtime), layout);
    w.finish();
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
