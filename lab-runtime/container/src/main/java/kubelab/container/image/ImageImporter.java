package kubelab.container.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;
import kubelab.container.image.fs.LayerPacker;
import kubelab.container.image.fs.Trees;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.oci.Json;
import kubelab.container.image.oci.Oci;
import kubelab.container.image.tar.Compression;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarReader;
import kubelab.container.image.tar.TarWriter;

/**
 * {@code lab image import} and {@code lab image load}: brings images into the store from
 * <ul>
 *   <li>an OCI image layout, as a directory or a tar (what skopeo, umoci, {@code docker save}
 *       since Docker 25 and {@code lab image save} write): every blob is copied and its sha256
 *       checked, every layer unpacked and its diff id checked; an OCI manifest is kept byte for
 *       byte, so the manifest digest survives the round trip;
 *   <li>a {@code docker save} tarball ({@code manifest.json} with Config, RepoTags and Layers):
 *       the config is kept byte for byte, so the image id is Docker's;
 *   <li>a plain root file system tarball (or a directory): one layer, an empty config and
 *       "Imported from ..." history, as {@code docker import} makes (no CMD: the image says what
 *       it is, not what to run).
 * </ul>
 * The format is recognized from the content (an {@code oci-layout} or {@code manifest.json} at the
 * top), and gzip from its magic bytes. Everything runs under the store's write lock; on any error
 * the blobs and layers this import added are removed again, so a failed or interrupted import
 * leaves the store as it was.
 */
public final class ImageImporter {
  private final OciImageStore store;
  private final boolean archivesOnly;
  private List<String> changes = List.of();

  private ImageImporter(OciImageStore store, boolean archivesOnly) {
    this.store = store;
    this.archivesOnly = archivesOnly;
  }

  /**
   * Like {@link #importPath(OciImageStore, Path, String, String, String)}, with Dockerfile
   * instructions applied to a root file system's config ({@code -c 'CMD ["sh"]'}, as docker import).
   */
  public static Result importPath(OciImageStore store, Path source, String name, String select, String message,
                                  List<String> changes) {
    if (!Files.exists(source)) throw new ImageException("cannot import " + source + ": no such file or directory");
    if (name != null) Reference.parse(name);
    ImageImporter i = new ImageImporter(store, false);
    i.changes = List.copyOf(changes);
    kubelab.container.image.build.ConfigInstructions.applyChanges(ImageConfig.EMPTY, changes); // malformed: fail before reading
    return i.run(source, null, name, select, message);
  }

  /** {@link #importStream(OciImageStore, InputStream, String, String, String)} with changes. */
  public static Result importStream(OciImageStore store, InputStream in, String name, String select, String message,
                                    List<String> changes) {
    if (name != null) Reference.parse(name);
    ImageImporter i = new ImageImporter(store, false);
    i.changes = List.copyOf(changes);
    kubelab.container.image.build.ConfigInstructions.applyChanges(ImageConfig.EMPTY, changes);
    return i.run(null, in, name, select, message);
  }

  /** {@code lab image load}: like import, but only image archives (a root file system is an error). */
  public static Result load(OciImageStore store, Path source, InputStream stream) {
    if (source != null && !Files.exists(source)) throw new ImageException("cannot load " + source + ": no such file or directory");
    return new ImageImporter(store, true).run(source, stream, null, null, null);
  }

  /** What an import did: the images and Docker-style report lines ("Loaded image: x:1"). */
  public record Result(List<StoredImage> images, List<String> report) {}

  /**
   * Imports from a file or directory. {@code name} (NAME[:TAG], may be null) names the image; for
   * an archive of several images {@code select} (a ref name in it) picks one. {@code changes} are
   * Dockerfile instructions applied to the config of a root file system import (may be empty).
   */
  public static Result importPath(OciImageStore store, Path source, String name, String select, String message) {
    if (!Files.exists(source)) throw new ImageException("cannot import " + source + ": no such file or directory");
    if (name != null) Reference.parse(name);
    return new ImageImporter(store, false).run(source, null, name, select, message);
  }

  /** Imports from a stream (stdin: {@code lab image import - NAME}); the stream is spooled first. */
  public static Result importStream(OciImageStore store, InputStream in, String name, String select, String message) {
    if (name != null) Reference.parse(name);
    return new ImageImporter(store, false).run(null, in, name, select, message);
  }

  private Result run(Path source, InputStream stream, String name, String select, String message) {
    String what = source == null ? "standard input" : source.toString();
    return store.write(() -> {
      Set<String> blobsBefore = store.blobDigests();
      Set<String> layersBefore = new HashSet<>(store.layers().list());
      Path stage = store.layout().newTempDir("import-");
      boolean ok = false;
      try {
        Result r;
        if (source != null && Files.isDirectory(source)) {
          r = importDir(source, name, select, source.toString(), message);
        } else {
          Path file = source;
          if (file == null) { // spool stdin: the format is known only after reading, and layers need two passes
            file = stage.resolve("stdin");
            try (OutputStream os = Files.newOutputStream(file)) {
              stream.transferTo(os);
            }
          }
          Set<String> top = scan(file, what);
          if (top.contains(Oci.LAYOUT_FILE) || top.contains("manifest.json")) {
            Path x = Files.createDirectory(stage.resolve("archive"));
            try (InputStream in = open(file, what)) {
              ArchiveExtractor.extract(in, x);
            } catch (EOFException | ZipException e) {
              throw damaged(what, e);
            }
            r = importDir(x, name, select, what, message);
          } else if (archivesOnly) {
            throw notAnArchive(what);
          } else {
            r = importRootfsTar(file, name, source == null ? "-" : source.getFileName().toString(), what, message);
          }
        }
        ok = true;
        return r;
      } catch (TarReader.TarFormatException e) {
        throw new ImageException(what + ": " + e.getMessage() + ": nothing was imported");
      } finally {
        Trees.deleteQuietly(stage);
        if (!ok) rollback(blobsBefore, layersBefore);
      }
    });
  }

  /** Removes what a failed import added (we hold the lock, so nobody else added anything). */
  private void rollback(Set<String> blobsBefore, Set<String> layersBefore) {
    for (String d : store.blobDigests()) {
      if (!blobsBefore.contains(d)) {
        try {
          Files.deleteIfExists(store.layout().blobPath(d));
        } catch (IOException ignored) {
          // the next gc will
        }
      }
    }
    for (String l : store.layers().list()) {
      if (!layersBefore.contains(l)) {
        try {
          store.layers().remove(l);
        } catch (IOException ignored) {
          // the next gc will
        }
      }
    }
  }

  private static InputStream open(Path file, String what) throws IOException {
    return Compression.decompressed(new BufferedInputStream(Files.newInputStream(file), 1 << 16), what);
  }

  private Set<String> scan(Path file, String what) throws IOException {
    try (InputStream in = open(file, what)) {
      return ArchiveExtractor.topLevel(in);
    } catch (EOFException | ZipException e) {
      throw damaged(what, e);
    } catch (TarReader.TarFormatException e) {
      throw new ImageException(what + " is not " + (archivesOnly ? "an image archive" : "an image or root file system tar archive")
          + " (" + e.getMessage() + "): nothing was imported");
    }
  }

  private static ImageException notAnArchive(String what) {
    return new ImageException(what + " is not an image archive (no oci-layout or manifest.json): "
        + "to make an image from a root file system use `lab image import FILE NAME`");
  }

  private static ImageException damaged(String what, Exception e) {
    return new ImageException(what + " is truncated or damaged (" + e.getMessage() + "): nothing was imported");
  }

  // ---- root file systems ------------------------------------------------------------------------

  /** One layer from a root file system tar: names cleaned, ".." refused, content copied as is. */
  private Result importRootfsTar(Path file, String name, String label, String what, String message) throws IOException {
    Path layerTar = store.layout().newTempFile("rootfs-", ".tar");
    try {
      try (InputStream in = open(file, what);
           OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(layerTar), 1 << 16);
           TarWriter w = new TarWriter(os)) {
        TarReader r = new TarReader(in);
        int members = 0;
        for (TarEntry e; (e = r.next()) != null; members++) {
          for (String part : e.name().split("/")) {
            if (part.equals("..")) throw new ImageException(what + ": member \"" + e.name() + "\" points outside the root (\"..\"): nothing was imported");
          }
          if (e.type() == TarEntry.Type.HARDLINK) e = e.withLinkName(TarReader.clean(e.linkName()));
          w.add(e, r.content());
        }
        if (members == 0) throw new ImageException(what + " is an empty archive: nothing to import");
      } catch (EOFException | ZipException e) {
        throw damaged(what, e);
      }
      return rootfsImage(store.storeLayerTar(layerTar, null), name, label, message);
    } finally {
      Files.deleteIfExists(layerTar);
    }
  }

  /** A plain directory imported as a root file system (packed like a build's COPY). */
  private Result importRootfsDir(Path dir, String name, String message) throws IOException {
    return rootfsImage(store.packDir(dir, LayerPacker.Mode.PLAIN, null, null), name, dir.getFileName().toString(), message);
  }

  private Result rootfsImage(OciImageStore.StoredLayer layer, String name, String label, String message) throws IOException {
    java.time.Instant now = store.clock().instant();
    ImageConfig empty = new ImageConfig(List.of(), null, null, null, null, Map.of(), null, null);
    var changed = kubelab.container.image.build.ConfigInstructions.applyChanges(empty, changes);
    String comment = message != null && !message.isEmpty() ? message : "Imported from " + label;
    ObjectNode cfg = ConfigJson.derive(null, changed.config(), now, layer.diffId(), new ConfigJson.History(now, "", comment, false));
    changed.edits().forEach(e -> e.accept(cfg));
    StoredImage s = store.create(null, List.of(layer), cfg, name, null);
    return new Result(List.of(s), List.of(s.id()));
  }

  // ---- image archives -----------------------------------------------------------------------------

  private Result importDir(Path dir, String name, String select, String what, String message) throws IOException {
    boolean archive = Files.isRegularFile(dir.resolve(Oci.LAYOUT_FILE)) || Files.isRegularFile(dir.resolve("manifest.json"));
    if (archive && !changes.isEmpty()) {
      throw new ImageException("--change applies to root file system imports; " + what + " is an image archive with its own config");
    }
    if (Files.isRegularFile(dir.resolve(Oci.LAYOUT_FILE))) return importOciLayout(dir, name, select, what);
    if (Files.isRegularFile(dir.resolve("manifest.json"))) return importDockerSave(dir, name, select, what);
    if (archivesOnly) throw notAnArchive(what);
    return importRootfsDir(dir, name, message);
  }

  private record Candidate(Oci.Descriptor manifest, List<String> names) {}

  private Result importOciLayout(Path dir, String name, String select, String what) throws IOException {
    JsonNode layoutFile = Oci.tree(readSmall(dir.resolve(Oci.LAYOUT_FILE), what + ": oci-layout"), what + ": oci-layout");
    String version = layoutFile.path("imageLayoutVersion").asText("");
    if (!version.startsWith("1.")) {
      throw new ImageException(what + ": unsupported OCI layout version \"" + version + "\" (want 1.0.0)");
    }
    Path indexPath = dir.resolve("index.json");
    if (!Files.isRegularFile(indexPath)) throw new ImageException(what + " has oci-layout but no index.json: not a complete OCI layout");
    Oci.Index index = Oci.parse(readSmall(indexPath, what + ": index.json"), Oci.Index.class, what + ": index.json");
    List<Candidate> candidates = new ArrayList<>();
    for (Oci.Descriptor d : index.manifests()) collect(dir, d, names(d), candidates, what, 0);
    if (candidates.isEmpty()) throw new ImageException(what + " holds no image for linux/" + ConfigJson.goArch());
    candidates = choose(candidates, name, select, what);
    List<StoredImage> images = new ArrayList<>();
    List<String> report = new ArrayList<>();
    for (Candidate c : candidates) {
      byte[] mBytes = verifiedBlob(dir, c.manifest().digest(), what);
      Oci.Manifest m = Oci.parse(mBytes, Oci.Manifest.class, what + ": manifest " + c.manifest().digest());
      // An OCI manifest is kept byte for byte (its digest survives); a Docker one is rewritten as OCI.
      boolean oci = (m.mediaType() == null || Oci.MANIFEST_V1.equals(m.mediaType()))
          && m.config() != null && Oci.CONFIG_V1.equals(m.config().mediaType())
          && m.layers().stream().allMatch(l -> Oci.LAYER_TAR.equals(l.mediaType()) || Oci.LAYER_TAR_GZIP.equals(l.mediaType()));
      Oci.Descriptor stored = oci ? store.layout().writeBlob(Oci.MANIFEST_V1, mBytes) : null;
      StoredImage s = importManifest(dir, m, stored, c.names(), name, what);
      images.add(s);
      report.addAll(loadedLines(s));
    }
    return new Result(images, report);
  }

  /** Walks an index entry down to image manifests for this platform. */
  private void collect(Path dir, Oci.Descriptor d, List<String> names, List<Candidate> out, String what, int depth)
      throws IOException {
    if (depth > 4) throw new ImageException(what + ": image indexes nested too deep");
    if (!Digest.isValid(d.digest())) throw new ImageException(what + ": invalid digest \"" + d.digest() + "\" in the index");
    if (d.platform() != null && d.platform().os() != null
        && (!"linux".equals(d.platform().os()) || !ConfigJson.goArch().equals(d.platform().architecture()))) {
      return;
    }
    if (Oci.isIndex(d.mediaType())) {
      Oci.Index nested = Oci.parse(verifiedBlob(dir, d.digest(), what), Oci.Index.class, what + ": index " + d.digest());
      for (Oci.Descriptor n : nested.manifests()) collect(dir, n, names, out, what, depth + 1);
      return;
    }
    if (d.mediaType() != null && !Oci.isManifest(d.mediaType())) return; // an artifact, not an image
    for (Candidate c : out) {
      if (c.manifest().digest().equals(d.digest())) {
        for (String n : names) if (!c.names().contains(n)) c.names().add(n);
        return;
      }
    }
    out.add(new Candidate(d, new ArrayList<>(names)));
  }

  /** The image names an index entry carries: containerd's full name, else a ref name with a tag. */
  private static List<String> names(Oci.Descriptor d) {
    List<String> out = new ArrayList<>();
    String full = d.annotation(Oci.CONTAINERD_IMAGE_NAME);
    String ref = d.annotation(Oci.REF_NAME);
    for (String n : new String[] {full, ref}) {
      if (n == null) continue;
      try {
        Reference r = Reference.parse(n);
        if (r.tag() != null && (n == full || n.contains(":"))) {
          out.add(r.nameTag());
          break;
        }
      } catch (ImageException ignored) {
        // a bare tag ("latest") or an odd name: no usable image name
      }
    }
    return out;
  }

  private static List<Candidate> choose(List<Candidate> all, String name, String select, String what) {
    if (select != null) {
      List<Candidate> hit = new ArrayList<>();
      for (Candidate c : all) {
        String ref = c.manifest().annotation(Oci.REF_NAME);
        if (select.equals(ref) || c.names().contains(select) || (safeNameTag(select) != null && c.names().contains(safeNameTag(select)))) {
          hit.add(c);
        }
      }
      if (hit.isEmpty()) throw new ImageException(what + " has no image named \"" + select + "\" (it has: " + refs(all) + ")");
      return hit.subList(0, 1);
    }
    if (name != null && all.size() > 1) {
      throw new ImageException(what + " holds " + all.size() + " images (" + refs(all)
          + "): choose one with --ref REF to import it as " + name);
    }
    return all;
  }

  private static String safeNameTag(String s) {
    try {
      return Reference.parse(s).nameTag();
    } catch (ImageException e) {
      return null;
    }
  }

  private static String refs(List<Candidate> all) {
    List<String> r = new ArrayList<>();
    for (Candidate c : all) {
      String ref = c.manifest().annotation(Oci.REF_NAME);
      r.add(ref != null ? ref : c.names().isEmpty() ? c.manifest().digest().substring(0, 19) : c.names().get(0));
    }
    return String.join(", ", r);
  }

  private Result importDockerSave(Path dir, String name, String select, String what) throws IOException {
    JsonNode manifests;
    try {
      manifests = Json.parse(readSmall(dir.resolve("manifest.json"), what + ": manifest.json"));
    } catch (IOException e) {
      throw new ImageException(what + ": manifest.json is not valid JSON: " + e.getMessage());
    }
    if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
      throw new ImageException(what + ": manifest.json is not a docker save manifest (expected a non-empty JSON array)");
    }
    List<JsonNode> chosen = new ArrayList<>();
    for (JsonNode m : manifests) {
      if (select == null) {
        chosen.add(m);
        continue;
      }
      for (JsonNode t : m.path("RepoTags")) {
        if (t.asText().equals(select) || t.asText().equals(safeNameTag(select))) chosen.add(m);
      }
    }
    if (chosen.isEmpty()) throw new ImageException(what + " has no image tagged \"" + select + "\"");
    if (name != null && chosen.size() > 1) {
      throw new ImageException(what + " holds " + chosen.size() + " images: choose one with --ref NAME:TAG to import it as " + name);
    }
    List<StoredImage> images = new ArrayList<>();
    List<String> report = new ArrayList<>();
    for (JsonNode m : chosen) {
      String cfgPath = m.path("Config").asText("");
      byte[] cfgBytes = readSmall(member(dir, cfgPath, what), what + ": " + cfgPath);
      String cfgDigest = Digest.of(cfgBytes);
      String expected = digestFromName(cfgPath);
      if (expected != null && !expected.equals(cfgDigest)) {
        throw new ImageException("digest mismatch: " + what + ": " + cfgPath + " hashes to " + cfgDigest + ": nothing was imported");
      }
      Oci.tree(cfgBytes, what + ": " + cfgPath);
      Oci.Descriptor cfgDesc = store.layout().writeBlob(Oci.CONFIG_V1, cfgBytes);
      List<Oci.Descriptor> layers = new ArrayList<>();
      for (JsonNode l : m.path("Layers")) {
        Path lp = member(dir, l.asText(), what);
        String exp = digestFromName(l.asText());
        Oci.Descriptor d;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(lp), 1 << 16)) {
          boolean gz = Compression.detect(in) == Compression.Kind.GZIP;
          d = store.layout().writeBlob(gz ? Oci.LAYER_TAR_GZIP : Oci.LAYER_TAR, in, exp);
        }
        layers.add(d);
      }
      Oci.Manifest om = new Oci.Manifest(2, Oci.MANIFEST_V1, new Oci.Descriptor(Oci.CONFIG_V1, cfgDesc.digest(), cfgDesc.size()),
          layers, null);
      List<String> names = new ArrayList<>();
      for (JsonNode t : m.path("RepoTags")) {
        String n = safeNameTag(t.asText());
        if (n != null) names.add(n);
      }
      StoredImage s = importManifest(dir, om, null, names, name, what);
      images.add(s);
      report.addAll(loadedLines(s));
    }
    return new Result(images, report);
  }

  /**
   * Stores a manifest's config and layers (copied from {@code dir}'s blobs unless already there),
   * unpacks and verifies the layers, then names the image. {@code original} is the descriptor of
   * the manifest's own bytes when they can be kept; null means write {@code m} anew.
   */
  private StoredImage importManifest(Path dir, Oci.Manifest m, Oci.Descriptor original, List<String> names, String name,
                                     String what) throws IOException {
    if (m.config() == null || !Digest.isValid(m.config().digest())) {
      throw new ImageException(what + ": a manifest has no valid config descriptor");
    }
    byte[] cfgBytes = store.layout().hasBlob(m.config().digest())
        ? store.layout().readVerified(m.config().digest()) : copySmallBlob(dir, m.config().digest(), what);
    JsonNode cfg = Oci.tree(cfgBytes, what + ": config " + m.config().digest());
    List<String> diffIds = ConfigJson.diffIds(cfg);
    List<Oci.Descriptor> layers = new ArrayList<>();
    for (Oci.Descriptor l : m.layers()) {
      if (!Digest.isValid(l.digest())) throw new ImageException(what + ": invalid layer digest \"" + l.digest() + "\"");
      if (l.mediaType() != null && l.mediaType().contains("nondistributable")) {
        throw new ImageException(what + ": layer " + l.digest() + " is a foreign (non-distributable) layer, which KubeLab cannot fetch");
      }
      if (!store.layout().hasBlob(l.digest())) {
        Path src = dir.resolve("blobs").resolve("sha256").resolve(Digest.hex(l.digest()));
        if (!Files.isRegularFile(src)) throw new ImageException(what + " is missing layer blob " + l.digest() + ": nothing was imported");
        try (InputStream in = Files.newInputStream(src)) {
          Oci.Descriptor d = store.layout().writeBlob(l.mediaType(), in, l.digest());
          if (l.size() > 0 && d.size() != l.size()) {
            throw new ImageException(what + ": layer " + l.digest() + " is " + d.size() + " bytes, the manifest says " + l.size());
          }
        }
      }
      layers.add(l);
    }
    Oci.Manifest clean = new Oci.Manifest(2, Oci.MANIFEST_V1,
        new Oci.Descriptor(Oci.CONFIG_V1, m.config().digest(), cfgBytes.length), layers.stream().map(ImageImporter::ociLayer).toList(),
        m.annotations());
    store.unpackAll(clean, diffIds); // verifies every layer against its diff id
    Oci.Descriptor mDesc = original != null ? original : store.layout().writeBlob(Oci.MANIFEST_V1, Oci.bytes(clean));
    List<String> tags = name != null ? List.of(Reference.parse(name).nameTag()) : names;
    Oci.Descriptor entry = new Oci.Descriptor(Oci.MANIFEST_V1, mDesc.digest(), mDesc.size(), Map.of(),
        new Oci.Platform(cfg.path("architecture").asText(ConfigJson.goArch()), cfg.path("os").asText("linux"), null));
    if (tags.isEmpty()) store.addToIndex(entry, null, null);
    for (String t : tags) store.addToIndex(entry, t, null);
    return store.find(m.config().digest());
  }

  private static Oci.Descriptor ociLayer(Oci.Descriptor d) {
    String mt = d.mediaType();
    if (mt == null || Oci.DOCKER_LAYER_TAR.equals(mt)) mt = Oci.LAYER_TAR;
    else if (Oci.DOCKER_LAYER_GZIP.equals(mt)) mt = Oci.LAYER_TAR_GZIP;
    return new Oci.Descriptor(mt, d.digest(), d.size(), d.annotations(), null);
  }

  private static List<String> loadedLines(StoredImage s) {
    if (s.tags().isEmpty()) return List.of("Loaded image ID: " + s.id());
    return s.tags().stream().map(t -> "Loaded image: " + t).toList();
  }

  /** Copies a small JSON blob from an archive's blobs/ after checking its digest; returns its bytes. */
  private byte[] copySmallBlob(Path dir, String digest, String what) throws IOException {
    byte[] b = verifiedBlob(dir, digest, what);
    store.layout().writeBlob("", b);
    return b;
  }

  private static byte[] verifiedBlob(Path dir, String digest, String what) throws IOException {
    Path p = dir.resolve("blobs").resolve("sha256").resolve(Digest.hex(digest));
    if (!Files.isRegularFile(p)) throw new ImageException(what + " is missing blob " + digest + ": nothing was imported");
    byte[] b = readSmall(p, what + ": blob " + digest);
    String actual = Digest.of(b);
    if (!actual.equals(digest)) {
      throw new ImageException("digest mismatch: " + what + ": blob " + digest + " hashes to " + actual
          + " (the archive is damaged or was modified): nothing was imported");
    }
    return b;
  }

  private static byte[] readSmall(Path p, String what) throws IOException {
    if (!Files.isRegularFile(p)) throw new ImageException(what + " is missing");
    if (Files.size(p) > Params.MAX_JSON_BYTES) throw new ImageException(what + " is too large (" + Files.size(p) + " bytes)");
    return Files.readAllBytes(p);
  }

  private static Path member(Path dir, String name, String what) {
    String clean = TarReader.clean(name);
    if (clean.isEmpty() || clean.contains("..")) throw new ImageException(what + ": bad path \"" + name + "\" in manifest.json");
    Path p = dir.resolve(clean);
    if (!Files.isRegularFile(p)) throw new ImageException(what + " is missing " + clean + ": nothing was imported");
    return p;
  }

  /** "blobs/sha256/<hex>" or "<hex>.json" name their content's digest; other names do not. */
  private static String digestFromName(String path) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:.*/)?(?:sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)").matcher(path);
    if (!m.matches()) return null;
    return Digest.ALGORITHM + ":" + (m.group(1) != null ? m.group(1) : m.group(2));
  }
}
