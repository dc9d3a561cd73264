package kubelab.container.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.oci.Oci;

/**
 * Everything the store knows about one image: the manifest that names it in {@code index.json},
 * its config document, the tags pointing at it, and KubeLab's bookkeeping (the image it was built
 * or committed from; whether it was removed while a container still used it). Immutable.
 *
 * <p>{@link Image} is the seam's view of the same thing; {@link #toImage} converts.
 */
public record StoredImage(
    String id,
    String manifestDigest,
    Oci.Manifest manifest,
    JsonNode config,
    List<String> tags,
    String parent,
    boolean held) {

  public StoredImage {
    tags = List.copyOf(tags);
  }

  public List<String> diffIds() {
    return ConfigJson.diffIds(config);
  }

  public Instant created() {
    return ConfigJson.created(config);
  }

  public ImageConfig imageConfig() {
    return ConfigJson.imageConfig(config);
  }

  public List<ConfigJson.History> history() {
    return ConfigJson.history(config);
  }

  /** {@code name@manifest-digest} for each tagged name, as Kubernetes reports an imageID. */
  public List<String> repoDigests() {
    return tags.stream().map(t -> t.substring(0, t.lastIndexOf(':')) + "@" + manifestDigest).distinct().toList();
  }

  public Image toImage(long size) {
    return new Image(id, tags, imageConfig(), diffIds(), size, created());
  }
}
