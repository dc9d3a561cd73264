package kubelab.container.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Images on this machine: content-addressed layers in an OCI image layout under the runtime's
 * root directory ({@code <root>/images}), each layer also unpacked once so it can serve as an
 * overlayfs lower directory.
 *
 * <p>This is the seam between the image side (layout, import, save, build, commit) and the
 * container side (rootfs assembly, run): the container side only resolves images and asks for
 * their layer directories; the image side runs build steps through the container runtime.
 *
 * <p>Errors a user can cause (unknown image, malformed reference) are thrown as
 * {@link ImageException} whose message says what to do.
 */
public interface ImageStore {

  /**
   * Resolves {@code busybox}, {@code busybox:latest}, {@code app:1}, a full {@code sha256:...}
   * id or an unambiguous id prefix. A name without a tag means {@code :latest}. The built-in
   * {@code busybox:latest} is created from the host's static busybox on first use.
   *
   * @throws ImageException if there is no such image
   */
  Image resolve(String reference);

  /** Every image, newest first. */
  List<Image> list();

  /**
   * The unpacked layer directories of {@code image}, topmost first: the order overlayfs wants
   * for {@code lowerdir=}. The directories must not be written to.
   */
  List<Path> layerDirs(Image image);

  /**
   * A new image made of {@code parent}'s layers plus the contents of {@code upperDir} (an overlayfs
   * upper directory: whiteouts are 0/0 character devices, opaque directories carry the
   * {@code trusted.overlay.opaque} xattr; both become OCI whiteouts in the layer tar) as one layer,
   * with {@code config} as its configuration. {@code parent} may be null (FROM scratch).
   * {@code tag} may be null (an untagged image). {@code createdBy} goes into the history.
   */
  Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy);

  /** Points {@code reference} (name[:tag]) at {@code image}, moving it from any other image. */
  void tag(Image image, String reference);

  /**
   * Collects what no image and no container needs any more: images removed with force while a
   * container used them ({@code lab image rm -f}) are only hidden until their last container is
   * removed; the runtime calls this after removing containers. {@code inUse} supplies the ids of
   * images containers still use; it is only asked when there is something to collect, so that a
   * store with nothing hidden costs one file read. The default does nothing.
   */
  default void collectGarbage(java.util.function.Supplier<? extends java.util.Collection<String>> inUse) {}
}
