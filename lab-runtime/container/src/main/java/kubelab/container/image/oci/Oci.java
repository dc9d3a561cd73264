package kubelab.container.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.container.image.ImageException;

/**
 * The OCI image-spec v1.1 documents KubeLab reads and writes (and the Docker v2 schema 2 media
 * types that mean the same thing): descriptors, manifests and the image index. Configs are kept as
 * JSON trees ({@link ConfigJson}) so fields KubeLab does not model survive an import unchanged.
 *
 * <p>The documents are records converted to and from JSON trees by hand ({@link Json}: no databind
 * on the store's paths), in declaration order with null and empty fields left out and annotations
 * sorted, so writing the same values always gives the same bytes (and so the same digest).
 */
public final class Oci {
  private Oci() {}

  // Media types: OCI image-spec v1.1 (media-types.md) and Docker image manifest v2 schema 2.
  public static final String INDEX_V1 = "application/vnd.oci.image.index.v1+json";
  public static final String MANIFEST_V1 = "application/vnd.oci.image.manifest.v1+json";
  public static final String CONFIG_V1 = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String DOCKER_MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  /** The annotation that names a manifest in an index (image-spec annotations.md). */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** containerd and Docker 25+ write the full image name here when they save an OCI layout. */
  public static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";
  /** KubeLab's own index annotations: the build or commit parent, and "hidden" states. */
  public static final String KUBELAB_PARENT = "io.kubelab.image.parent";
  public static final String KUBELAB_INTERMEDIATE = "io.kubelab.image.intermediate";
  public static final String KUBELAB_HELD = "io.kubelab.image.held";

  public static final String LAYOUT_FILE = "oci-layout";
  public static final String LAYOUT_VERSION = "1.0.0";

  public static boolean isManifest(String mediaType) {
    return MANIFEST_V1.equals(mediaType) || DOCKER_MANIFEST_V2.equals(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return INDEX_V1.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public record Platform(String architecture, String os, String variant) {
    static Platform from(JsonNode n) {
      if (n == null || !n.isObject()) return null;
      return new Platform(text(n, "architecture"), text(n, "os"), text(n, "variant"));
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      if (architecture != null) o.put("architecture", architecture);
      if (os != null) o.put("os", os);
      if (variant != null) o.put("variant", variant);
      return o;
    }
  }

  /** A content descriptor: what a blob is, its digest and size (descriptor.md). */
  public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations,
                           Platform platform) {
    public Descriptor {
      annotations = annotations == null ? Map.of() : new LinkedHashMap<>(annotations);
    }

    public Descriptor(String mediaType, String digest, long size) {
      this(mediaType, digest, size, Map.of(), null);
    }

    public String annotation(String key) {
      return annotations.get(key);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
      return new Descriptor(mediaType, digest, size, a, platform);
    }

    static Descriptor from(JsonNode n) {
      if (n == null || !n.isObject()) return null;
      Map<String, String> ann = new LinkedHashMap<>();
      n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      return new Descriptor(text(n, "mediaType"), text(n, "digest"), n.path("size").asLong(0), ann, Platform.from(n.get("platform")));
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      if (mediaType != null && !mediaType.isEmpty()) o.put("mediaType", mediaType);
      o.put("digest", digest);
      o.put("size", size);
      if (!annotations.isEmpty()) {
        ObjectNode a = o.putObject("annotations");
        new TreeMap<>(annotations).forEach(a::put);
      }
      if (platform != null) o.set("platform", platform.toJson());
      return o;
    }
  }

  public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
                         Map<String, String> annotations) {
    public Manifest {
      layers = layers == null ? List.of() : List.copyOf(layers);
      annotations = annotations == null ? Map.of() : new LinkedHashMap<>(annotations);
    }

    static Manifest from(JsonNode n) {
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode l : n.path("layers")) layers.add(Descriptor.from(l));
      Map<String, String> ann = new LinkedHashMap<>();
      n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      return new Manifest(n.path("schemaVersion").asInt(0), text(n, "mediaType"), Descriptor.from(n.get("config")), layers, ann);
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("schemaVersion", schemaVersion);
      if (mediaType != null) o.put("mediaType", mediaType);
      if (config != null) o.set("config", config.toJson());
      ArrayNode a = o.putArray("layers");
      layers.forEach(l -> a.add(l.toJson()));
      if (!annotations.isEmpty()) {
        ObjectNode an = o.putObject("annotations");
        new TreeMap<>(annotations).forEach(an::put);
      }
      return o;
    }
  }

  public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    public Index {
      manifests = manifests == null ? List.of() : List.copyOf(manifests);
      annotations = annotations == null ? Map.of() : new LinkedHashMap<>(annotations);
    }

    public static Index of(List<Descriptor> manifests) {
      return new Index(2, INDEX_V1, manifests, null);
    }

    static Index from(JsonNode n) {
      List<Descriptor> ms = new ArrayList<>();
      for (JsonNode m : n.path("manifests")) {
        Descriptor d = Descriptor.from(m);
        if (d != null) ms.add(d);
      }
      Map<String, String> ann = new LinkedHashMap<>();
      n.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      return new Index(n.path("schemaVersion").asInt(0), text(n, "mediaType"), ms, ann);
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("schemaVersion", schemaVersion);
      if (mediaType != null) o.put("mediaType", mediaType);
      ArrayNode a = o.putArray("manifests");
      manifests.forEach(m -> a.add(m.toJson()));
      if (!annotations.isEmpty()) {
        ObjectNode an = o.putObject("annotations");
        new TreeMap<>(annotations).forEach(an::put);
      }
      return o;
    }
  }

  /** {@code oci-layout}: {"imageLayoutVersion": "1.0.0"}. */
  public record LayoutFile(String imageLayoutVersion) {
    ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("imageLayoutVersion", imageLayoutVersion);
      return o;
    }
  }

  /** The bytes of an OCI document (Index, Manifest, Descriptor, LayoutFile) or a JSON tree. */
  public static byte[] bytes(Object doc) {
    JsonNode n;
    if (doc instanceof Index i) n = i.toJson();
    else if (doc instanceof Manifest m) n = m.toJson();
    else if (doc instanceof Descriptor d) n = d.toJson();
    else if (doc instanceof LayoutFile l) n = l.toJson();
    else if (doc instanceof JsonNode j) n = j;
    else throw new IllegalArgumentException("not an OCI document: " + doc.getClass().getSimpleName());
    return Json.bytes(n);
  }

  /** Parses an Index or a Manifest; malformed JSON is an {@link ImageException} naming {@code what}. */
  @SuppressWarnings("unchecked")
  public static <T> T parse(byte[] json, Class<T> type, String what) {
    JsonNode n = tree(json, what);
    if (type == Index.class) return (T) Index.from(n);
    if (type == Manifest.class) return (T) Manifest.from(n);
    if (type == Descriptor.class) return (T) Descriptor.from(n);
    throw new IllegalArgumentException("cannot parse " + type.getSimpleName());
  }

  /** Parses a JSON object; anything else is an {@link ImageException} naming {@code what}. */
  public static JsonNode tree(byte[] json, String what) {
    try {
      JsonNode n = Json.parse(json);
      if (!n.isObject()) throw new ImageException(what + " is not a JSON object");
      return n;
    } catch (IOException e) {
      throw new ImageException(what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
