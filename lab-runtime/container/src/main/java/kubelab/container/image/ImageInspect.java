package kubelab.container.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.oci.Json;

/**
 * What {@code lab image inspect} and {@code lab image history} show, computed from the store.
 *
 * <p>inspect follows {@code docker image inspect} (Docker Engine API 1.45, ImageInspect) where
 * the concepts match: Id, RepoTags, RepoDigests, Parent, Comment, Created, Author, Config (with
 * Docker's keys, null when unset: an imported root file system has {@code "Cmd": null}),
 * Architecture, Os, Size, GraphDriver (overlay2's shape: the topmost layer is UpperDir, the others
 * LowerDir, topmost first as overlayfs wants), RootFS {Type, Layers}. The JSON is built fresh on
 * each call; nothing here writes.
 */
public final class ImageInspect {
  private ImageInspect() {}

  public static ObjectNode json(OciImageStore store, StoredImage s) {
    ObjectNode n = Json.object();
    n.put("Id", s.id());
    ArrayNode tags = n.putArray("RepoTags");
    s.tags().forEach(tags::add);
    ArrayNode digests = n.putArray("RepoDigests");
    s.repoDigests().forEach(digests::add);
    n.put("Parent", s.parent() == null ? "" : s.parent());
    List<ConfigJson.History> h = s.history();
    n.put("Comment", h.isEmpty() ? "" : h.get(h.size() - 1).comment());
    n.put("Created", s.created().toString());
    n.put("Author", s.config().path("author").asText(""));
    n.set("Config", dockerConfig(s.config().path("config")));
    n.put("Architecture", s.config().path("architecture").asText(""));
    if (s.config().hasNonNull("variant")) n.put("Variant", s.config().get("variant").asText());
    n.put("Os", s.config().path("os").asText(""));
    n.put("Size", store.size(s));
    ObjectNode gd = n.putObject("GraphDriver");
    ObjectNode data = gd.putObject("Data");
    List<String> ids = s.diffIds();
    if (!ids.isEmpty()) {
      List<String> lower = new ArrayList<>();
      for (int i = ids.size() - 2; i >= 0; i--) lower.add(store.layers().diffDir(ids.get(i)).toString());
      if (!lower.isEmpty()) data.put("LowerDir", String.join(":", lower));
      Path top = store.layers().diffDir(ids.get(ids.size() - 1));
      data.put("UpperDir", top.toString());
    }
    gd.put("Name", "overlay2");
    ObjectNode rootfs = n.putObject("RootFS");
    rootfs.put("Type", "layers");
    ArrayNode layers = rootfs.putArray("Layers");
    ids.forEach(layers::add);
    return n;
  }

  /** The image's runtime config with Docker's keys present (null or empty when unset). */
  private static ObjectNode dockerConfig(JsonNode c) {
    ObjectNode out = Json.object();
    out.put("User", c.path("User").asText(""));
    if (c.has("ExposedPorts")) out.set("ExposedPorts", c.get("ExposedPorts"));
    out.set("Env", c.has("Env") ? c.get("Env") : null);
    out.set("Cmd", c.has("Cmd") ? c.get("Cmd") : null);
    if (c.has("Healthcheck")) out.set("Healthcheck", c.get("Healthcheck"));
    out.set("Volumes", c.has("Volumes") ? c.get("Volumes") : null);
    out.put("WorkingDir", c.path("WorkingDir").asText(""));
    out.set("Entrypoint", c.has("Entrypoint") ? c.get("Entrypoint") : null);
    out.set("OnBuild", c.has("OnBuild") ? c.get("OnBuild") : null);
    out.set("Labels", c.has("Labels") ? c.get("Labels") : null);
    if (c.has("StopSignal")) out.put("StopSignal", c.get("StopSignal").asText());
    if (c.has("Shell")) out.set("Shell", c.get("Shell"));
    // Anything else the config carries (ArgsEscaped, ...) is shown as it is.
    c.fields().forEachRemaining(e -> {
      if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue());
    });
    return out;
  }

  /** One row of {@code lab image history}, newest first. {@code imageId} is null for {@code <missing>}. */
  public record HistoryRow(String imageId, java.time.Instant created, String createdBy, long size, String comment,
                           boolean emptyLayer) {}

  /**
   * The history rows of an image, newest first. Each non-empty entry owns the next layer (its
   * SIZE); empty-layer entries (CMD, ENV, ...) are 0 B (CURRICULUM C34). A row shows the id of the
   * image that step produced when the store still has it (a build's intermediate images, a
   * commit's parent), otherwise {@code <missing>}, as {@code docker history} does.
   */
  public static List<HistoryRow> history(OciImageStore store, StoredImage s) {
    List<ConfigJson.History> hist = s.history();
    List<String> ids = s.diffIds();
    // Ancestors by history length: the image whose history has k entries made row k-1.
    Map<Integer, String> byLength = new java.util.HashMap<>();
    StoredImage cur = s;
    List<StoredImage> all = store.all();
    for (int guard = 0; cur != null && guard < 1000; guard++) {
      byLength.putIfAbsent(cur.history().size(), cur.id());
      String parent = cur.parent();
      cur = parent == null ? null : all.stream().filter(x -> x.id().equals(parent)).findFirst().orElse(null);
    }
    List<HistoryRow> rows = new ArrayList<>();
    int layer = 0;
    if (hist.isEmpty()) { // no history at all (some importers): one row per layer
      for (int i = 0; i < ids.size(); i++) {
        rows.add(new HistoryRow(i == ids.size() - 1 ? s.id() : null, s.created(), "", store.layers().size(ids.get(i)), "", false));
      }
    }
    for (int i = 0; i < hist.size(); i++) {
      ConfigJson.History e = hist.get(i);
      long size = 0;
      if (!e.emptyLayer() && layer < ids.size()) size = store.layers().size(ids.get(layer++));
      String id = byLength.get(i + 1);
      if (i == hist.size() - 1) id = s.id();
      rows.add(new HistoryRow(id, e.created(), e.createdBy(), size, e.comment(), e.emptyLayer()));
    }
    java.util.Collections.reverse(rows);
    return rows;
  }
}
