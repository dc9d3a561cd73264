package kubelab.container.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI image-spec v1.1 documents KubeLab reads and writes (and the Docker v2 schema 2 media
 * types that mean the same thing): descriptors, manifests and the image index. Configs are kept as
 * JSON trees ({@link ConfigJson}) so fields KubeLab does not model survive an import unchanged.
 *
 * <p>The documents are records serialized in declaration order with null and empty fields left
 * out, so writing the same values always gives the same bytes (and so the same digest).
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

  public static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  public static boolean isManifest(String mediaType) {
    return MANIFEST_V1.equals(mediaType) || DOCKER_MANIFEST_V2.equals(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return INDEX_V1.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Platform(String architecture, String os, String variant) {}

  /** A content descriptor: what a blob is, its digest and size (descriptor.md). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
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
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
                         Map<String, String> annotations) {
    public Manifest {
      layers = layers == null ? List.of() : List.copyOf(layers);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    public Index {
      manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static Index of(List<Descriptor> manifests) {
      return new Index(2, INDEX_V1, manifests, null);
    }
  }

  /** {@code oci-layout}: {"imageLayoutVersion": "1.0.0"}. */
  public record LayoutFile(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {}

  public static byte[] bytes(Object doc) {
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + doc.getClass().getSimpleName(), e);
    }
  }

  public static <T> T parse(byte[] json, Class<T> type, String what) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new kubelab.container.image.ImageException(what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  public static JsonNode tree(byte[] json, String what) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) throw new kubelab.container.image.ImageException(what + " is not a JSON object");
      return n;
    } catch (IOException e) {
      throw new kubelab.container.image.ImageException(what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
