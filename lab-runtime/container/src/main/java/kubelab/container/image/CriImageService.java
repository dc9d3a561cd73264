package kubelab.container.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import kubelab.cri.ImageService;

/**
 * CRI ImageService on the local {@link OciImageStore} (see {@link ImageService} for the contract).
 *
 * <p>Pull is local: a name resolves in the store (the built-in busybox is made on first use), and
 * a skopeo-style transport reference ({@code oci:DIR[:REF]}, {@code oci-archive:FILE[:REF]},
 * {@code docker-archive:FILE[:NAME:TAG]}) is imported. As containerd does, pull returns the image
 * id, and the kubelet creates containers from that id. Errors use containerd's shape
 * ({@code failed to pull and unpack image "x": ...}) so pod events read as learners will see them
 * at work.
 *
 * <p>Thread-safe: the store serializes writes; reads are lock-free.
 */
public final class CriImageService implements ImageService {
  private final OciImageStore store;
  private final Supplier<? extends Collection<String>> imagesInUse;

  /**
   * @param imagesInUse ids of images that containers on this node use (the runtime knows);
   *     {@link #removeImage} refuses those
   */
  public CriImageService(OciImageStore store, Supplier<? extends Collection<String>> imagesInUse) {
    this.store = store;
    this.imagesInUse = imagesInUse == null ? Set::of : imagesInUse;
  }

  @Override
  public List<ImageService.Image> listImages(ImageFilter filter) {
    try {
      if (filter != null && filter.image() != null && filter.image().image() != null && !filter.image().image().isEmpty()) {
        StoredImage s = store.find(filter.image().image());
        return s == null ? List.of() : List.of(toCri(s));
      }
      List<ImageService.Image> out = new ArrayList<>();
      for (StoredImage s : store.visible(false)) out.add(toCri(s));
      return List.copyOf(out);
    } catch (ImageException e) {
      throw new ImageServiceException(e.getMessage(), e);
    }
  }

  @Override
  public ImageStatus imageStatus(ImageSpec image, boolean verbose) {
    StoredImage s;
    try {
      s = store.find(image.image());
    } catch (ImageException malformed) {
      throw new ImageServiceException(malformed.getMessage(), malformed);
    }
    if (s == null) return new ImageStatus(null, Map.of());
    Map<String, String> info = verbose ? Map.of("info", new String(kubelab.container.image.oci.Json.bytes(ImageInspect.json(store, s)), java.nio.charset.StandardCharsets.UTF_8)) : Map.of();
    return new ImageStatus(toCri(s), info);
  }

  @Override
  public String pullImage(ImageSpec image, AuthConfig auth) {
    String ref = image.image();
    try {
      Transport t = Transport.parse(ref);
      if (t == null) return store.resolve(ref).id();
      ImageImporter.Result r = ImageImporter.importPath(store, Path.of(t.path), null, t.ref, null);
      return r.images().get(0).id();
    } catch (ImageException e) {
      String reason = e.getMessage().startsWith("No such image")
          ? "not found in the node's image store (KubeLab has no registry: build, import or load the image on the node)"
          : e.getMessage();
      throw new ImageServiceException("failed to pull and unpack image \"" + ref + "\": " + reason, e);
    }
  }

  @Override
  public void removeImage(ImageSpec image) {
    try {
      StoredImage s = store.find(image.image());
      if (s == null || s.held()) return;
      store.remove(image.image(), false, imagesInUse.get());
    } catch (ImageException e) {
      throw new ImageServiceException(e.getMessage(), e);
    }
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    long[] usage = {0, 0};
    try {
      if (Files.isDirectory(store.dir())) {
        Files.walkFileTree(store.dir(), new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) usage[0] += attrs.size();
            usage[1]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            usage[1]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
      }
    } catch (IOException e) {
      throw new ImageServiceException("cannot measure the image store " + store.dir() + ": " + e.getMessage(), e);
    }
    long now = java.time.Instant.now().getEpochSecond() * 1_000_000_000L;
    return List.of(new FilesystemUsage(now, store.dir().toString(), usage[0], usage[1]));
  }

  private ImageService.Image toCri(StoredImage s) {
    String user = s.imageConfig().user();
    Long uid = null;
    String username = null;
    if (user != null && !user.isEmpty()) {
      String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
      if (u.matches("\\d+")) uid = Long.parseLong(u);
      else username = u;
    }
    boolean pinned = s.tags().contains(Params.BUSYBOX_REF);
    String specName = s.tags().isEmpty() ? s.id() : s.tags().get(0);
    return new ImageService.Image(s.id(), s.tags(), s.repoDigests(), store.size(s), uid, username, ImageSpec.of(specName), pinned);
  }

  /** skopeo's transport:path[:ref] syntax for local archives. */
  record Transport(String kind, String path, String ref) {
    static Transport parse(String s) {
      for (String kind : new String[] {"oci:", "oci-archive:", "docker-archive:"}) {
        if (!s.startsWith(kind)) continue;
        String rest = s.substring(kind.length());
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        String ref = colon < 0 || colon == rest.length() - 1 ? null : rest.substring(colon + 1);
        if (path.isEmpty()) throw new ImageException("\"" + s + "\" names no path");
        return new Transport(kind.substring(0, kind.length() - 1), path, ref);
      }
      return null;
    }
  }
}
