package kubelab.container.image;

import java.util.regex.Pattern;

/**
 * An image reference as users type it: {@code NAME[:TAG][@sha256:DIGEST]}, with Docker's grammar
 * (distribution/reference, as in Docker 24–27): lowercase path components separated by {@code /},
 * an optional registry host first, a tag of at most 128 word characters, dots and dashes.
 *
 * <p>There are no registries in KubeLab, but Kubernetes manifests name images the way Docker Hub
 * does, so {@code docker.io/library/busybox:1.36} and {@code busybox:1.36} are the same image:
 * {@link #parse} drops the {@code docker.io/} and {@code library/} prefixes, as {@code docker
 * images} hides them. A name without tag or digest means {@code :latest}.
 */
public record Reference(String name, String tag, String digest) {
  public static final String DEFAULT_TAG = "latest";

  // distribution/reference grammar (reference/regexp.go), written out for Java.
  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
      + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
  private static final Pattern NAME = Pattern.compile(
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern FULL_ID = Pattern.compile("(?:sha256:)?[0-9a-f]{64}");
  private static final int NAME_MAX = 255;

  /** {@code name:tag}, or {@code name@digest} when there is no tag. */
  @Override
  public String toString() {
    if (tag != null) return name + ":" + tag + (digest != null ? "@" + digest : "");
    return digest != null ? name + "@" + digest : name + ":" + DEFAULT_TAG;
  }

  /** {@code name:tag} with the default tag filled in (the key tags are stored under). */
  public String nameTag() {
    return name + ":" + (tag == null ? DEFAULT_TAG : tag);
  }

  /** True for a bare 64-hex id or {@code sha256:<64 hex>}: Docker treats those as ids, never names. */
  public static boolean isFullId(String s) {
    return FULL_ID.matcher(s).matches();
  }

  /**
   * Parses and normalizes a reference.
   *
   * @throws ImageException with Docker's "invalid reference format" wording
   */
  public static Reference parse(String s) {
    if (s == null || s.isEmpty()) throw new ImageException("invalid reference format: the image name is empty");
    String rest = s;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!Digest.isValid(digest)) {
        throw new ImageException("invalid reference format: \"" + s + "\" has a malformed digest (want @sha256:<64 hex digits>)");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) { // a colon after the last slash separates the tag; before it, a port
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new ImageException("invalid reference format: \"" + s + "\" has a malformed tag \"" + tag
            + "\" (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
      }
    }
    if (rest.isEmpty()) throw new ImageException("invalid reference format: \"" + s + "\" has no repository name");
    if (!NAME.matcher(rest).matches()) {
      String lower = rest.toLowerCase(java.util.Locale.ROOT);
      if (!lower.equals(rest) && NAME.matcher(lower).matches()) {
        throw new ImageException("invalid reference format: repository name (" + rest + ") must be lowercase");
      }
      throw new ImageException("invalid reference format: \"" + s
          + "\" (a name is lowercase letters, digits and separators . _ - /, optionally followed by :TAG)");
    }
    if (rest.length() > NAME_MAX) {
      throw new ImageException("invalid reference format: repository name must not be more than " + NAME_MAX + " characters");
    }
    return new Reference(normalizeName(rest), tag, digest);
  }

  /** Drops Docker Hub's implicit prefixes: docker.io/library/busybox → busybox, docker.io/x/y → x/y. */
  static String normalizeName(String name) {
    for (String prefix : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
        break;
      }
    }
    if (name.startsWith("library/") && name.indexOf('/', 8) < 0) name = name.substring(8);
    return name;
  }
}
