package kubelab.cri;

import java.util.List;
import java.util.Map;

/**
 * The image half of the Container Runtime Interface, shaped after CRI v1
 * ({@code k8s.io/cri-api/pkg/apis/runtime/v1/api.proto}, Kubernetes 1.32: service ImageService):
 * the kubelet asks the runtime to pull, list, inspect and remove images, and for the image file
 * system's usage (for image garbage collection and disk-pressure eviction).
 *
 * <p>KubeLab has no registries: "pull" resolves the image in the node's local store (building the
 * built-in {@code busybox:latest} on first use) or imports it from a local archive named with
 * skopeo's transport syntax: {@code oci:/path/to/layout[:ref]}, {@code oci-archive:/path.tar[:ref]},
 * {@code docker-archive:/path.tar[:name:tag]}. A pull of an image that is neither fails, and the
 * kubelet reports {@code ErrImagePull} with the message.
 *
 * <p>Contract (as CRI's): every method blocks until done and is safe to call from any thread.
 * {@link #imageStatus} returns null for an image that is not present (not an error);
 * {@link #removeImage} of an absent image succeeds (idempotent). Returned lists are new,
 * unmodifiable and owned by the caller. Failures throw {@link ImageServiceException} whose
 * message is fit for a pod event.
 */
public interface ImageService {

  /** CRI ImageSpec: the image as the pod names it ({@code busybox}, {@code app:1}, an id). */
  record ImageSpec(String image, Map<String, String> annotations, String userSpecifiedImage) {
    public ImageSpec {
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static ImageSpec of(String image) {
      return new ImageSpec(image, Map.of(), image);
    }
  }

  /** CRI AuthConfig: accepted for shape; KubeLab's local images need no credentials. */
  record AuthConfig(String username, String password, String auth, String serverAddress) {}

  /** CRI ImageFilter: only images matching {@code image} (null lists all). */
  record ImageFilter(ImageSpec image) {}

  /**
   * CRI Image. {@code id} is the image id ({@code sha256:} of its config), {@code repoDigests}
   * are {@code name@sha256:<manifest digest>}; exactly one of {@code uid} (numeric USER) and
   * {@code username} is set when the image sets a user; {@code pinned} images are never
   * garbage-collected by the kubelet (the built-in busybox).
   */
  record Image(String id, List<String> repoTags, List<String> repoDigests, long size, Long uid, String username,
               ImageSpec spec, boolean pinned) {
    public Image {
      repoTags = List.copyOf(repoTags);
      repoDigests = List.copyOf(repoDigests);
    }
  }

  /** ImageStatusResponse: the image (null if absent) and, when verbose, runtime-specific info. */
  record ImageStatus(Image image, Map<String, String> info) {}

  /** CRI FilesystemUsage of the image store. */
  record FilesystemUsage(long timestampNanos, String mountpoint, long usedBytes, long inodesUsed) {}

  /** Lists images, filtered when {@code filter} names one. */
  List<Image> listImages(ImageFilter filter);

  /** The image's status, or an {@link ImageStatus} with a null image if it is not present. */
  ImageStatus imageStatus(ImageSpec image, boolean verbose);

  /**
   * Makes the image present and returns its reference (the image id, as containerd returns).
   * {@code auth} may be null.
   */
  String pullImage(ImageSpec image, AuthConfig auth);

  /** Removes the image; absent images are fine. Fails if a container still uses it. */
  void removeImage(ImageSpec image);

  /** Usage of the file system holding the images. */
  List<FilesystemUsage> imageFsInfo();

  /** A CRI call failed; the message says why, in words fit for a pod event. */
  class ImageServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageServiceException(String message) {
      super(message);
    }

    public ImageServiceException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
