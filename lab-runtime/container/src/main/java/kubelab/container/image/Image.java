package kubelab.container.image;

import java.time.Instant;
import java.util.List;

/**
 * An image: its id (the sha256 digest of its OCI config, as Docker shows it), the tags that point
 * at it, its runtime configuration, and the diff ids of its layers, bottom first.
 */
public record Image(
    String id,
    List<String> repoTags,
    ImageConfig config,
    List<String> diffIds,
    long size,
    Instant created) {

  public Image {
    repoTags = List.copyOf(repoTags);
    diffIds = List.copyOf(diffIds);
  }

  /** The id without the {@code sha256:} prefix, cut to 12 characters, as {@code docker images} prints it. */
  public String shortId() {
    String hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
