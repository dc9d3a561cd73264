package kubelab.container.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.container.image.fs.Trees;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.oci.Layout;
import kubelab.container.image.oci.Oci;

/**
 * Removing images and collecting garbage, with {@code docker rmi}'s rules (Docker 27,
 * daemon/images/image_delete.go, in words):
 * <ol>
 *   <li>a name that is one of several names of the image is only untagged;
 *   <li>the last name of an image a container uses is refused without force ("must force");
 *   <li>the last name of an image that is another image's parent is untagged, and the image stays
 *       as an intermediate; by id, such an image cannot be deleted at all;
 *   <li>an image with several names cannot be deleted by id without force;
 *   <li>otherwise the image goes, then each untagged parent that no other image needs (a build's
 *       chain of step images), then every blob and unpacked layer nothing references any more.
 * </ol>
 * Forced removal of an image a container uses hides it ({@code io.kubelab.image.held}) instead of
 * deleting the layers under a running container; garbage collection drops it once no container
 * uses it.
 *
 * <p>Both operations are called with the store's write lock held.
 */
final class ImageRemoval {
  private ImageRemoval() {}

  static List<String> remove(OciImageStore store, String reference, boolean force, Collection<String> inUse)
      throws IOException {
    Layout layout = store.layout();
    List<String> report = new ArrayList<>();
    StoredImage s = store.find(reference);
    if (s == null || s.held()) throw OciImageStore.notFound(reference);
    boolean byName = !Reference.isFullId(reference) && s.tags().stream().anyMatch(t -> matchesName(reference, t));
    boolean hasChildren = store.all().stream().anyMatch(x -> !x.held() && s.id().equals(x.parent()));
    boolean used = inUse != null && inUse.contains(s.id());
    String key = byName ? Reference.parse(reference).nameTag() : null;
    String shortId = s.id().substring(7, 19);
    if (byName && s.tags().size() > 1) { // rule 1
      store.untag(key);
      report.add("Untagged: " + key);
      return report;
    }
    if (used && !force) { // rule 2
      throw new ImageException("conflict: unable to remove repository reference \"" + reference
          + "\" (must force) - a container is using its referenced image " + shortId
          + " (remove the container with `lab rm`, or use `lab image rm -f`)");
    }
    if (byName && hasChildren) { // rule 3
      store.untag(key);
      report.add("Untagged: " + key);
      return report;
    }
    if (!byName && hasChildren) {
      throw new ImageException("conflict: unable to delete " + shortId + " (cannot be forced) - image has dependent child images");
    }
    if (!byName && s.tags().size() > 1 && !force) { // rule 4
      throw new ImageException("conflict: unable to delete " + shortId
          + " (must be forced) - image is referenced in multiple repositories (" + String.join(", ", s.tags()) + ")");
    }
    // rule 5
    for (String t : s.tags()) report.add("Untagged: " + t);
    List<Oci.Descriptor> entries = new ArrayList<>(layout.readIndex().manifests());
    Oci.Descriptor first = entries.stream().filter(d -> d.digest().equals(s.manifestDigest())).findFirst().orElseThrow();
    entries.removeIf(d -> d.digest().equals(s.manifestDigest()));
    if (used) { // hidden; its layers stay for the container
      Map<String, String> a = new LinkedHashMap<>();
      a.put(Oci.KUBELAB_HELD, "true");
      if (s.parent() != null) a.put(Oci.KUBELAB_PARENT, s.parent());
      entries.add(first.withAnnotations(a));
    }
    report.add("Deleted: " + s.id());
    List<StoredImage> all = store.all();
    for (String parent = s.parent(); parent != null; ) {
      final String pid = parent;
      StoredImage p = all.stream().filter(x -> x.id().equals(pid)).findFirst().orElse(null);
      if (p == null || !p.tags().isEmpty() || p.held() || (inUse != null && inUse.contains(p.id()))) break;
      boolean otherChild = entries.stream().anyMatch(d -> pid.equals(d.annotation(Oci.KUBELAB_PARENT))
          && !"true".equals(d.annotation(Oci.KUBELAB_HELD)));
      if (otherChild) break;
      entries.removeIf(d -> d.digest().equals(p.manifestDigest()));
      report.add("Deleted: " + p.id());
      parent = p.parent();
    }
    layout.writeIndex(Oci.Index.of(entries));
    gc(store, inUse);
    return report;
  }

  private static boolean matchesName(String reference, String tag) {
    try {
      return Reference.parse(reference).nameTag().equals(tag);
    } catch (ImageException e) {
      return false;
    }
  }

  /**
   * Drops held images no container uses, then deletes the blobs and unpacked layers (and their
   * short links) that no image in the index references, and staging files older than
   * {@link Params#TMP_MAX_AGE}.
   */
  static void gc(OciImageStore store, Collection<String> inUse) throws IOException {
    Layout layout = store.layout();
    List<Oci.Descriptor> entries = new ArrayList<>(layout.readIndex().manifests());
    boolean changed = entries.removeIf(d -> "true".equals(d.annotation(Oci.KUBELAB_HELD))
        && (inUse == null || !inUse.contains(idOf(store, d.digest()))));
    if (changed) layout.writeIndex(Oci.Index.of(entries));
    Set<String> liveBlobs = new HashSet<>();
    Set<String> liveLayers = new HashSet<>();
    for (Oci.Descriptor d : entries) {
      liveBlobs.add(d.digest());
      OciImageStore.Loaded l;
      try {
        l = store.load(d.digest());
      } catch (RuntimeException broken) {
        continue;
      }
      liveBlobs.add(l.manifest().config().digest());
      for (Oci.Descriptor layer : l.manifest().layers()) liveBlobs.add(layer.digest());
      liveLayers.addAll(ConfigJson.diffIds(l.config()));
    }
    if (Files.isDirectory(layout.blobsDir())) {
      try (var s = Files.list(layout.blobsDir())) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String digest = Digest.ALGORITHM + ":" + p.getFileName();
          if (Digest.isValid(digest) && !liveBlobs.contains(digest)) {
            Files.deleteIfExists(p);
            store.forget(digest);
          }
        }
      }
    }
    for (String diffId : store.layers().list()) if (!liveLayers.contains(diffId)) store.layers().remove(diffId);
    store.layers().removeDanglingLinks();
    Instant cutoff = Instant.now().minus(Params.TMP_MAX_AGE);
    try (var s = Files.list(layout.tmpDir())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Trees.deleteQuietly(p);
      }
    } catch (IOException ignored) {
      // no tmp dir yet
    }
  }

  private static String idOf(OciImageStore store, String manifestDigest) {
    try {
      return store.load(manifestDigest).manifest().config().digest();
    } catch (RuntimeException e) {
      return "";
    }
  }
}
