package kubelab.container.image;

/** A problem with an image that the user can fix; the message says how. */
public class ImageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
