package kubelab.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageStore;
import kubelab.container.state.Json;

/**
 * A read-through cache of image lookups for short-lived commands: {@code lab run busybox true}
 * should not parse the OCI index and configs (and load a JSON library) on every run.
 *
 * <p>Each cached answer (image id, runtime config, layer directories) is stamped with the
 * identity of the store's {@code images/index.json} (inode, size, modification time). The image
 * store replaces that file by rename on every change, so any change to any image invalidates
 * the whole cache; a missing file or layer directory means "ask the store". Commits, tags and
 * listings always go to the store.
 */
public final class CachedImageStore implements ImageStore {
  private final ImageStore store;
  private final Path index;
  private final Path cacheFile;

  public CachedImageStore(ImageStore store, Path root) {
    this.store = store;
    this.index = root.resolve("images").resolve("index.json");
    this.cacheFile = root.resolve("runtime-image-cache.json");
  }

  private String stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(index, BasicFileAttributes.class);
      // "2/": the cache's format (2 added the healthcheck); an older cache file is simply refilled
      return "2/" + a.fileKey() + "/" + a.size() + "/" + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return null;
    }
  }

  private Map<String, Object> load() {
    try {
      return Json.parseObject(Files.readString(cacheFile));
    } catch (IOException | RuntimeException e) {
      return new LinkedHashMap<>();
    }
  }

  @SuppressWarnings("unchecked")
  @Override
  public Image resolve(String reference) {
    String st = stamp();
    if (st != null) {
      Map<String, Object> cache = load();
      if (st.equals(cache.get("stamp")) && cache.get(reference) instanceof Map<?, ?> e) {
        Map<String, Object> m = (Map<String, Object>) e;
        List<String> dirs = (List<String>) m.get("layerDirs");
        if (allDirs(dirs)) return fromJson(m);
      }
    }
    Image img = store.resolve(reference);
    if (st != null) remember(reference, img, st);
    return img;
  }

  private void remember(String reference, Image img, String st) {
    try {
      Map<String, Object> cache = load();
      if (!st.equals(cache.get("stamp"))) cache = new LinkedHashMap<>();
      cache.put("stamp", st);
      Map<String, Object> m = toJson(img);
      List<String> dirs = new ArrayList<>();
      for (Path p : store.layerDirs(img)) dirs.add(p.toString());
      m.put("layerDirs", dirs);
      cache.put(reference, m);
      cache.put(img.id(), m);
      Path tmp = Files.createTempFile(cacheFile.getParent(), ".image-cache", ".tmp");
      Files.writeString(tmp, Json.write(cache, false));
      Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written is no cache
    }
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<Path> layerDirs(Image image) {
    String st = stamp();
    if (st != null) {
      Map<String, Object> cache = load();
      if (st.equals(cache.get("stamp")) && cache.get(image.id()) instanceof Map<?, ?> e) {
        List<String> dirs = (List<String>) ((Map<String, Object>) e).get("layerDirs");
        if (allDirs(dirs)) {
          List<Path> out = new ArrayList<>();
          for (String d : dirs) out.add(Path.of(d));
          return out;
        }
      }
    }
    return store.layerDirs(image);
  }

  /** Plain loops, no lambdas: this runs in every short command, before the JIT has done anything. */
  private static boolean allDirs(List<String> dirs) {
    if (dirs == null) return false;
    for (String d : dirs) if (!Files.isDirectory(Path.of(d))) return false;
    return true;
  }

  private static Map<String, Object> toJson(Image img) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", img.id());
    m.put("repoTags", img.repoTags());
    m.put("diffIds", img.diffIds());
    m.put("size", img.size());
    m.put("created", img.created() == null ? null : img.created().getEpochSecond() + "." + img.created().getNano());
    ImageConfig c = img.config();
    if (c != null) {
      m.put("env", c.env());
      m.put("entrypoint", c.entrypoint());
      m.put("cmd", c.cmd());
      m.put("workingDir", c.workingDir());
      m.put("user", c.user());
      m.put("labels", c.labels());
      m.put("stopSignal", c.stopSignal());
      ImageConfig.Healthcheck h = c.healthcheck();
      if (h != null) {
        Map<String, Object> hm = new LinkedHashMap<>();
        hm.put("test", h.test());
        hm.put("interval", h.intervalNanos());
        hm.put("timeout", h.timeoutNanos());
        hm.put("startPeriod", h.startPeriodNanos());
        hm.put("retries", h.retries());
        m.put("healthcheck", hm);
      }
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Image fromJson(Map<String, Object> m) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.get("labels") instanceof Map<?, ?> l) for (Map.Entry<?, ?> e : l.entrySet()) labels.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    ImageConfig cfg = new ImageConfig((List<String>) m.get("env"), (List<String>) m.get("entrypoint"),
        (List<String>) m.get("cmd"), (String) m.get("workingDir"), (String) m.get("user"), labels,
        healthcheck(m.get("healthcheck")), (String) m.get("stopSignal"));
    Object created = m.get("created");
    return new Image((String) m.get("id"), (List<String>) m.get("repoTags"), cfg, (List<String>) m.get("diffIds"),
        ((Number) m.get("size")).longValue(), created == null ? null : instant((String) created));
  }

  @SuppressWarnings("unchecked")
  private static ImageConfig.Healthcheck healthcheck(Object o) {
    if (!(o instanceof Map<?, ?> h)) return null;
    return new ImageConfig.Healthcheck((List<String>) h.get("test"), ((Number) h.get("interval")).longValue(),
        ((Number) h.get("timeout")).longValue(), ((Number) h.get("startPeriod")).longValue(), ((Number) h.get("retries")).intValue());
  }

  private static Instant instant(String epochDotNanos) {
    int dot = epochDotNanos.indexOf('.');
    return Instant.ofEpochSecond(Long.parseLong(epochDotNanos.substring(0, dot)), Long.parseLong(epochDotNanos.substring(dot + 1)));
  }

  @Override
  public List<Image> list() {
    return store.list();
  }

  @Override
  public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy) {
    return store.commit(parent, upperDir, config, tag, createdBy);
  }

  @Override
  public void tag(Image image, String reference) {
    store.tag(image, reference);
  }

  /** Asks the store only when an image is held (a text search of index.json, no JSON parsing). */
  @Override
  public void collectGarbage(java.util.function.Supplier<? extends java.util.Collection<String>> inUse) {
    if (kubelab.container.image.OciImageStore.hasHeldImages(index)) store.collectGarbage(inUse);
  }
}
