package kubelab.container.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import kubelab.container.image.fs.LayerPacker;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.oci.Json;
import kubelab.container.image.oci.Layout;
import kubelab.container.image.oci.Oci;
import kubelab.container.image.tar.TarWriter;

/**
 * The image store: an OCI image layout at {@code <root>/images} whose {@code index.json} is the
 * single source of truth for which images exist and which tags point where, plus the unpacked
 * layers beside it ({@link LayerStore}). skopeo and umoci can read the store directly
 * ({@code umoci ls --layout /var/lib/kubelab/images}).
 *
 * <p>How Docker's image semantics map onto the index:
 * <ul>
 *   <li>An image is a manifest; its id is the digest of its config (what {@code docker images}
 *       shows). The index holds one entry per tag ({@code org.opencontainers.image.ref.name} =
 *       {@code name:tag}), or one entry without a name for an untagged image.
 *   <li>Tagging an image moves the name: the image that had it keeps an unnamed entry, and so
 *       shows as {@code <none>:<none>}, as a rebuilt tag leaves a dangling image in Docker.
 *   <li>Build steps and commits record their parent image ({@code io.kubelab.image.parent}).
 *       Like Docker, an untagged image that is some image's parent is an intermediate (hidden
 *       from {@code lab image ls} without {@code -a}); an untagged leaf is dangling (shown).
 *   <li>{@code rm -f} of an image a container still uses hides it ({@code io.kubelab.image.held})
 *       instead of deleting its layers under the container; garbage collection drops it once no
 *       container uses it.
 * </ul>
 *
 * <p>Threading: reads (resolve, list, layerDirs of unpacked layers) take no lock and may run on
 * any thread. Every write (commit, tag, import, remove, collection) runs under the layout's lock
 * from start to end, so a garbage collection never sees a half-made image; between processes the
 * same holds through a file lock. Every new file appears by rename (see {@link Layout}).
 */
public final class OciImageStore implements ImageStore {
  private final Path root;
  private final Layout layout;
  private final LayerStore layers;
  private final Clock clock;
  private final Map<String, Loaded> cache = new ConcurrentHashMap<>(); // manifest digest -> parsed docs

  record Loaded(Oci.Manifest manifest, JsonNode config) {}

  /** A store under {@code root/images} (root is usually /var/lib/kubelab, or {@code --root}). */
  public OciImageStore(Path root) {
    this(root, Clock.systemUTC());
  }

  public OciImageStore(Path root, Clock clock) {
    this.root = root;
    this.layout = new Layout(root.resolve(Params.IMAGES_DIR));
    this.layers = new LayerStore(layout.dir().resolve("layers"), layout);
    this.clock = clock;
  }

  public Path root() {
    return root;
  }

  /** {@code <root>/images}: the OCI layout directory. */
  public Path dir() {
    return layout.dir();
  }

  public Layout layout() {
    return layout;
  }

  public LayerStore layers() {
    return layers;
  }

  public Clock clock() {
    return clock;
  }

  // ---- reading -----------------------------------------------------------------------------------

  /** Every image in the index, including intermediates and held images, newest first. */
  public List<StoredImage> all() {
    Oci.Index index = layout.readIndex();
    Map<String, List<Oci.Descriptor>> byManifest = new LinkedHashMap<>();
    for (Oci.Descriptor d : index.manifests()) {
      if (!Digest.isValid(d.digest())) continue;
      byManifest.computeIfAbsent(d.digest(), k -> new ArrayList<>()).add(d);
    }
    List<StoredImage> out = new ArrayList<>();
    for (var e : byManifest.entrySet()) {
      Loaded l;
      try {
        l = load(e.getKey());
      } catch (RuntimeException broken) {
        continue; // a damaged image must not hide the others; resolving it reports the damage
      }
      List<String> tags = new ArrayList<>();
      String parent = null;
      boolean held = false;
      for (Oci.Descriptor d : e.getValue()) {
        String ref = d.annotation(Oci.REF_NAME);
        if (ref != null && !tags.contains(ref)) tags.add(ref);
        if (d.annotation(Oci.KUBELAB_PARENT) != null) parent = d.annotation(Oci.KUBELAB_PARENT);
        if ("true".equals(d.annotation(Oci.KUBELAB_HELD))) held = true;
      }
      out.add(new StoredImage(l.manifest.config().digest(), e.getKey(), l.manifest, l.config, tags, parent, held));
    }
    out.sort(Comparator.comparing(StoredImage::created).reversed());
    return out;
  }

  /**
   * What {@code lab image ls} shows: tagged images and dangling ones; with {@code withIntermediates}
   * also untagged parents of other images (as {@code docker images -a}). Held images never.
   */
  public List<StoredImage> visible(boolean withIntermediates) {
    List<StoredImage> all = all();
    Set<String> parents = new HashSet<>();
    for (StoredImage s : all) if (s.parent() != null) parents.add(s.parent());
    List<StoredImage> out = new ArrayList<>();
    for (StoredImage s : all) {
      if (s.held()) continue;
      if (s.tags().isEmpty() && parents.contains(s.id()) && !withIntermediates) continue;
      out.add(s);
    }
    return out;
  }

  @Override
  public List<Image> list() {
    return visible(false).stream().map(this::toImage).toList();
  }

  public Image toImage(StoredImage s) {
    return s.toImage(size(s));
  }

  /** Sum of the layers' content sizes (what {@code docker images} shows as SIZE). */
  public long size(StoredImage s) {
    long total = 0;
    for (String id : new LinkedHashSet<>(s.diffIds())) total += layers.size(id);
    return total;
  }

  @Override
  public Image resolve(String reference) {
    StoredImage s = find(reference);
    if (s == null && isBuiltinBusybox(reference)) {
      BusyboxImage.ensure(this);
      s = find(reference);
    }
    if (s == null) throw notFound(reference);
    return toImage(s);
  }

  /** Like {@link #resolve} but returns the store's full record. */
  public StoredImage details(String reference) {
    StoredImage s = find(reference);
    if (s == null && isBuiltinBusybox(reference)) {
      BusyboxImage.ensure(this);
      s = find(reference);
    }
    if (s == null) throw notFound(reference);
    return s;
  }

  public StoredImage details(Image image) {
    return details(image.id());
  }

  /**
   * Finds an image without creating the built-in one: a full id, {@code name[:tag]},
   * {@code name@digest}, or a unique id prefix (Docker's order). Null when there is none.
   *
   * @throws ImageException for a malformed reference or an ambiguous id prefix
   */
  public StoredImage find(String reference) {
    if (reference == null || reference.isBlank()) throw new ImageException("invalid reference format: the image name is empty");
    List<StoredImage> all = all();
    if (Reference.isFullId(reference)) {
      String id = reference.startsWith("sha256:") ? reference : "sha256:" + reference;
      return all.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }
    Reference ref;
    try {
      ref = Reference.parse(reference);
    } catch (ImageException malformed) {
      StoredImage byPrefix = byIdPrefix(all, reference);
      if (byPrefix != null) return byPrefix;
      throw malformed;
    }
    if (ref.digest() != null) {
      for (StoredImage s : all) {
        if (s.held()) continue;
        if (s.manifestDigest().equals(ref.digest()) || s.id().equals(ref.digest())) return s;
      }
      return null;
    }
    String key = ref.nameTag();
    for (StoredImage s : all) {
      if (!s.held() && s.tags().contains(key)) return s;
    }
    if (ref.tag() == null) return byIdPrefix(all, reference);
    return null;
  }

  private static StoredImage byIdPrefix(List<StoredImage> all, String s) {
    String hex = s.startsWith("sha256:") ? s.substring(7) : s;
    if (hex.isEmpty() || !hex.matches("[0-9a-f]{1,64}")) return null;
    List<StoredImage> hits = all.stream().filter(i -> i.id().substring(7).startsWith(hex)).toList();
    if (hits.size() > 1) {
      throw new ImageException("image id prefix \"" + s + "\" is ambiguous: " + hits.size()
          + " images match (give more digits; see `lab image ls --no-trunc`)");
    }
    return hits.isEmpty() ? null : hits.get(0);
  }

  static boolean isBuiltinBusybox(String reference) {
    try {
      Reference r = Reference.parse(reference);
      return r.digest() == null && r.nameTag().equals(Params.BUSYBOX_REF);
    } catch (ImageException e) {
      return false;
    }
  }

  static ImageException notFound(String reference) {
    return new ImageException("No such image: " + reference + " (list images with `lab image ls`; make one with "
        + "`lab image build -t NAME DIR` or `lab image import FILE NAME`)");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The paths are the layers' short names ({@code <images>/l/<26 hex>}, symlinks to
   * {@code layers/<diff id>/diff}), so that the overlayfs mount options of an image with many
   * layers still fit in one page; overlayfs follows the links when it mounts.
   */
  @Override
  public List<Path> layerDirs(Image image) {
    List<String> ids = image.diffIds();
    List<Path> out = new ArrayList<>(ids.size());
    boolean missing = false;
    for (String id : ids) if (!layers.isUnpacked(id)) missing = true;
    if (missing) repairLayers(details(image.id()));
    for (int i = ids.size() - 1; i >= 0; i--) out.add(layers.ensureLink(ids.get(i)));
    return out;
  }

  /** Unpacks any layer of {@code s} that is missing on disk (deleted by hand, or an interrupted import). */
  private void repairLayers(StoredImage s) {
    write(() -> {
      unpackAll(s.manifest(), s.diffIds());
      return null;
    });
  }

  /** Unpacks the layers of a manifest bottom-up, verifying each against its diff id. */
  void unpackAll(Oci.Manifest m, List<String> diffIds) {
    if (m.layers().size() != diffIds.size()) {
      throw new ImageException("image manifest lists " + m.layers().size() + " layers but its config has "
          + diffIds.size() + " diff ids: the image is malformed");
    }
    List<Path> lower = new ArrayList<>();
    for (int i = 0; i < diffIds.size(); i++) {
      Path p = layers.ensureUnpacked(diffIds.get(i), m.layers().get(i).digest(), List.copyOf(lower));
      lower.add(0, p);
    }
  }

  Loaded load(String manifestDigest) {
    Loaded l = cache.get(manifestDigest);
    if (l != null) return l;
    Oci.Manifest m = Oci.parse(layout.readVerified(manifestDigest), Oci.Manifest.class, "manifest " + manifestDigest);
    if (m.config() == null || !Digest.isValid(m.config().digest())) {
      throw new ImageException("manifest " + manifestDigest + " has no valid config descriptor");
    }
    JsonNode cfg = Oci.tree(layout.readVerified(m.config().digest()), "image config " + m.config().digest());
    l = new Loaded(m, cfg);
    cache.put(manifestDigest, l);
    return l;
  }

  // ---- writing -----------------------------------------------------------------------------------

  /** A layer blob that has been stored and unpacked: its descriptor, diff id and content size. */
  public record StoredLayer(Oci.Descriptor descriptor, String diffId, long contentBytes) {}

  @Override
  public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy) {
    return commit(parent, upperDir, config, tag, createdBy, null, null);
  }

  /**
   * {@link #commit(Image, Path, ImageConfig, String, String)} with a history comment and a filter
   * of relative names to leave out (a runtime's mount points, say); both may be null.
   */
  public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy, String comment,
                      Predicate<String> include) {
    return commit(parent, upperDir, config, tag, createdBy, comment, include, null);
  }

  /** The same, with an edit of the new config tree (author, ExposedPorts of a --change). */
  public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy, String comment,
                      Predicate<String> include, java.util.function.Consumer<ObjectNode> edit) {
    return commit(parent, upperDir, config, tag, createdBy, comment, include, edit, null);
  }

  /**
   * The same, for the writable layer of a container in a user namespace: {@code hostToImageId}
   * maps the host owners of its files back to the image's ids (null: as on disk).
   */
  public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy, String comment,
                      Predicate<String> include, java.util.function.Consumer<ObjectNode> edit,
                      java.util.function.LongUnaryOperator hostToImageId) {
    if (tag != null) Reference.parse(tag);
    if (!Files.isDirectory(upperDir)) throw new ImageException("cannot commit " + upperDir + ": not a directory");
    return write(() -> {
      StoredImage p = parent == null ? null : details(parent.id());
      StoredLayer layer;
      try {
        layer = packDir(upperDir, LayerPacker.Mode.OVERLAY_UPPER, include, p, hostToImageId);
      } catch (IOException e) {
        throw new ImageException("cannot commit the writable layer " + upperDir + ": " + e.getMessage(), e);
      }
      ObjectNode cfg = ConfigJson.derive(p == null ? null : p.config(), config, clock.instant(), layer.diffId(),
          new ConfigJson.History(clock.instant(), createdBy == null ? "" : createdBy, comment, false));
      if (edit != null) edit.accept(cfg);
      return toImage(create(p, List.of(layer), cfg, tag, p == null ? null : p.id()));
    });
  }

  /** A new image with {@code parent}'s layers and a changed config only (Dockerfile ENV, CMD, ...). */
  public StoredImage commitConfig(StoredImage parent, ImageConfig config, String tag, ConfigJson.History history,
                                  java.util.function.Consumer<ObjectNode> edit) {
    return write(() -> {
      ObjectNode cfg = ConfigJson.derive(parent == null ? null : parent.config(), config, history.created(), null, history);
      if (edit != null) edit.accept(cfg);
      return create(parent, List.of(), cfg, tag, parent == null ? null : parent.id());
    });
  }

  /**
   * A new image: {@code parent}'s layers plus the uncompressed layer tar {@code tar} (consumed),
   * with the runtime config {@code ic} and one more history entry. Untagged, linked to its parent
   * (a build step's image).
   */
  public StoredImage commitTar(StoredImage parent, Path tar, ImageConfig ic, ConfigJson.History history) {
    return write(() -> {
      StoredLayer layer = storeLayerTar(tar, parent);
      ObjectNode cfg = ConfigJson.derive(parent == null ? null : parent.config(), ic, history.created(), layer.diffId(), history);
      return create(parent, List.of(layer), cfg, null, parent == null ? null : parent.id());
    });
  }

  /**
   * Makes a new image from already stored layers and a finished config tree. Call with the lock
   * held. The manifest lists {@code parent}'s layers, then {@code added}.
   */
  StoredImage create(StoredImage parent, List<StoredLayer> added, ObjectNode config, String tag, String parentLink)
      throws IOException {
    List<Oci.Descriptor> layerDescs = new ArrayList<>();
    if (parent != null) for (Oci.Descriptor d : parent.manifest().layers()) layerDescs.add(ociLayerDescriptor(d));
    for (StoredLayer l : added) layerDescs.add(l.descriptor());
    byte[] cfgBytes = Json.bytes(config);
    Oci.Descriptor cfgDesc = layout.writeBlob(Oci.CONFIG_V1, cfgBytes);
    Oci.Manifest m = new Oci.Manifest(2, Oci.MANIFEST_V1, cfgDesc, layerDescs, null);
    Oci.Descriptor mDesc = layout.writeBlob(Oci.MANIFEST_V1, Oci.bytes(m));
    Oci.Descriptor entry = new Oci.Descriptor(Oci.MANIFEST_V1, mDesc.digest(), mDesc.size(), Map.of(),
        new Oci.Platform(ConfigJson.goArch(), "linux", null));
    addToIndex(entry, tag == null ? null : Reference.parse(tag).nameTag(), parentLink);
    cache.remove(mDesc.digest());
    return find(cfgDesc.digest());
  }

  /** Docker media types become their OCI equivalents when a layer is reused in an OCI manifest. */
  private static Oci.Descriptor ociLayerDescriptor(Oci.Descriptor d) {
    String mt = d.mediaType();
    if (Oci.DOCKER_LAYER_GZIP.equals(mt)) mt = Oci.LAYER_TAR_GZIP;
    else if (Oci.DOCKER_LAYER_TAR.equals(mt)) mt = Oci.LAYER_TAR;
    return new Oci.Descriptor(mt, d.digest(), d.size(), d.annotations(), null);
  }

  /**
   * Packs a directory into a layer blob (uncompressed tar), stores and unpacks it. Lock held.
   * {@code parent}'s layers serve hard links into lower layers.
   */
  StoredLayer packDir(Path dir, LayerPacker.Mode mode, Predicate<String> include, StoredImage parent) throws IOException {
    return packDir(dir, mode, include, parent, null);
  }

  StoredLayer packDir(Path dir, LayerPacker.Mode mode, Predicate<String> include, StoredImage parent,
                      java.util.function.LongUnaryOperator hostToImageId) throws IOException {
    Path tmp = layout.newTempFile("pack-", ".tar");
    try {
      try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
           TarWriter w = new TarWriter(os)) {
        LayerPacker.pack(dir, w, mode, include, hostToImageId);
      }
      return storeLayerTar(tmp, parent);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Stores an uncompressed layer tar (consumed: moved into the blobs) and unpacks it. Lock held. */
  public StoredLayer storeLayerTar(Path tar, StoredImage parent) throws IOException {
    String digest = Digest.of(tar);
    long size = Files.size(tar);
    Path blob = layout.blobPath(digest);
    if (!Files.exists(blob)) {
      try (var ch = java.nio.channels.FileChannel.open(tar, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      layout.moveIntoPlace(tar, blob);
    }
    List<Path> lower = parent == null ? List.of() : layerDirs(toImage(parent));
    layers.ensureUnpacked(digest, digest, lower);
    return new StoredLayer(new Oci.Descriptor(Oci.LAYER_TAR, digest, size), digest, layers.size(digest));
  }

  @Override
  public void tag(Image image, String reference) {
    String key = Reference.parse(reference).nameTag();
    write(() -> {
      StoredImage s = details(image.id());
      Oci.Descriptor any = null;
      for (Oci.Descriptor d : layout.readIndex().manifests()) if (d.digest().equals(s.manifestDigest())) any = d;
      if (any == null) throw notFound(image.id());
      addToIndex(any.withAnnotations(Map.of()), key, s.parent());
      return null;
    });
  }

  /**
   * Adds an index entry for a manifest, tagged or not, moving {@code tag} away from any other
   * image (which keeps an untagged entry: a dangling image). Lock held.
   */
  void addToIndex(Oci.Descriptor manifest, String tag, String parentLink) throws IOException {
    List<Oci.Descriptor> entries = new ArrayList<>(layout.readIndex().manifests());
    if (tag != null) {
      for (int i = 0; i < entries.size(); i++) {
        Oci.Descriptor d = entries.get(i);
        if (tag.equals(d.annotation(Oci.REF_NAME)) && !d.digest().equals(manifest.digest())) {
          entries.remove(i--);
          final String digest = d.digest();
          boolean stillListed = entries.stream().anyMatch(x -> x.digest().equals(digest));
          if (!stillListed) entries.add(i + 1, withoutRef(d));
        }
      }
    }
    String digest = manifest.digest();
    List<Oci.Descriptor> mine = entries.stream().filter(d -> d.digest().equals(digest)).toList();
    if (parentLink == null) {
      parentLink = mine.stream().map(d -> d.annotation(Oci.KUBELAB_PARENT)).filter(p -> p != null).findFirst().orElse(null);
    }
    Map<String, String> ann = new LinkedHashMap<>();
    if (tag != null) ann.put(Oci.REF_NAME, tag);
    if (parentLink != null) ann.put(Oci.KUBELAB_PARENT, parentLink);
    Oci.Descriptor entry = new Oci.Descriptor(manifest.mediaType(), digest, manifest.size(), ann, manifest.platform());
    if (tag == null) {
      if (mine.isEmpty()) entries.add(entry);
      else if (mine.stream().anyMatch(d -> "true".equals(d.annotation(Oci.KUBELAB_HELD)))) {
        entries.removeIf(d -> d.digest().equals(digest));
        entries.add(entry); // re-created while held: it is a live image again
      } else {
        return;
      }
    } else {
      if (mine.stream().anyMatch(d -> tag.equals(d.annotation(Oci.REF_NAME)))) return;
      entries.removeIf(d -> d.digest().equals(digest)
          && (d.annotation(Oci.REF_NAME) == null || "true".equals(d.annotation(Oci.KUBELAB_HELD))));
      entries.add(entry);
    }
    layout.writeIndex(Oci.Index.of(entries));
  }

  static Oci.Descriptor withoutRef(Oci.Descriptor d) {
    Map<String, String> a = new LinkedHashMap<>(d.annotations());
    a.remove(Oci.REF_NAME);
    return d.withAnnotations(a);
  }

  /** Removes one tag; returns false if no image had it. The image itself stays (maybe dangling). */
  public boolean untag(String reference) {
    String key = Reference.parse(reference).nameTag();
    return write(() -> {
      List<Oci.Descriptor> entries = new ArrayList<>(layout.readIndex().manifests());
      for (int i = 0; i < entries.size(); i++) {
        Oci.Descriptor d = entries.get(i);
        if (key.equals(d.annotation(Oci.REF_NAME)) && !"true".equals(d.annotation(Oci.KUBELAB_HELD))) {
          entries.remove(i);
          if (entries.stream().noneMatch(x -> x.digest().equals(d.digest()))) entries.add(i, withoutRef(d));
          layout.writeIndex(Oci.Index.of(entries));
          return true;
        }
      }
      return false;
    });
  }

  /**
   * {@code lab image rm}: Docker's semantics (see {@link ImageRemoval#remove}).
   *
   * @param inUse ids of the images that containers (running or not) are made from
   * @return Docker's report lines: {@code Untagged: ...}, {@code Deleted: sha256:...}
   */
  public List<String> remove(String reference, boolean force, Collection<String> inUse) {
    return write(() -> ImageRemoval.remove(this, reference, force, inUse));
  }

  /**
   * Garbage collection: drops held images no container uses any more, then deletes blobs and
   * unpacked layers that no image in the index references, and stale staging files.
   *
   * @param inUse ids of images containers use (null: treat none as used)
   */
  public void gc(Collection<String> inUse) {
    write(() -> {
      ImageRemoval.gc(this, inUse);
      return null;
    });
  }

  /** Runs {@link #gc} when an image is held for a container (see ImageStore#collectGarbage). */
  @Override
  public void collectGarbage(java.util.function.Supplier<? extends Collection<String>> inUse) {
    if (hasHeldImages(layout.dir().resolve("index.json"))) gc(inUse.get());
  }

  /**
   * True when the index (the layout's index.json) lists an image hidden by a forced removal. A
   * plain text search: short commands ({@code lab rm}) should not parse JSON when nothing is held.
   */
  public static boolean hasHeldImages(Path index) {
    try {
      return Files.readString(index).contains(Oci.KUBELAB_HELD);
    } catch (IOException e) {
      return false;
    }
  }

  /** Forgets parsed documents of a deleted blob. */
  void forget(String digest) {
    cache.remove(digest);
  }

  /** Creates the layout skeleton if needed (every write path calls this). */
  void init() {
    try {
      layout.init();
    } catch (IOException e) {
      throw new ImageException("cannot create the image store in " + layout.dir() + ": " + e.getMessage()
          + (e instanceof java.nio.file.AccessDeniedException ? " (run as root, or use --root DIR)" : ""), e);
    }
  }

  /** Reads all stored blobs' digests (tests and `lab dev` checks use this). */
  public Set<String> blobDigests() {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(layout.blobsDir())) return out;
    try (var s = Files.list(layout.blobsDir())) {
      s.forEach(p -> out.add(Digest.ALGORITHM + ":" + p.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Runs a write under the layout lock, creating the layout first if needed. */
  <T> T write(Layout.Locked<T> body) {
    init();
    return layout.locked(body);
  }
}
