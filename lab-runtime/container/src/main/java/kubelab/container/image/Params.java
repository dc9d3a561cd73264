package kubelab.container.image;

import java.time.Duration;

/** Tunables of the image store and builder, one per line (as xv6's param.h). */
public final class Params {
  private Params() {}

  /** Store directory under the runtime root: {@code <root>/images}. */
  public static final String IMAGES_DIR = "images";

  /** Staging leftovers older than this are removed by the next write (a crashed import's files). */
  public static final Duration TMP_MAX_AGE = Duration.ofHours(1);

  /** Where the built-in busybox image looks for a static busybox, in order. */
  public static final String[] BUSYBOX_PATHS = {"/bin/busybox", "/usr/bin/busybox"};

  /** The built-in image's name. */
  public static final String BUSYBOX_REF = "busybox:latest";

  /** Docker's default PATH (moby oci/defaults.go), for images and for configs that set none. */
  public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Largest manifest, config or index accepted on import (Docker's limit for manifests is 4 MiB). */
  public static final int MAX_JSON_BYTES = 4 << 20;

  /** `lab image history` truncates CREATED BY to this many characters unless --no-trunc (docker history). */
  public static final int HISTORY_CREATED_BY_WIDTH = 45;
}
