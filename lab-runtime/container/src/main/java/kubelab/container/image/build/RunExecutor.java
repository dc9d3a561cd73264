package kubelab.container.image.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;

/**
 * How the builder runs a RUN instruction: in a container of the image built so far, with no
 * network ({@code --net none}), the step's environment, user and working directory. The builder
 * then commits the container's writable layer as the step's layer and removes the container.
 *
 * <p>The container runtime implements this; the builder does not know how containers are made.
 */
public interface RunExecutor {

  /**
   * Creates and runs a container from {@code image} (null: an empty root, FROM scratch) whose
   * process is {@code argv} with {@code config}'s env, user and working directory; calls
   * {@code started} with the container id once it runs (the builder prints "Running in ID"),
   * copies its output (stdout and stderr) to {@code output} while it runs, and returns once it
   * exited. Blocking. The caller closes the result, which removes the container (always, even
   * after a failed commit).
   */
  Run run(Image image, ImageConfig config, List<String> argv, OutputStream output, Consumer<String> started)
      throws IOException;

  /** A finished RUN container. */
  interface Run extends AutoCloseable {
    /** The container's id as {@code lab ps} would show it (12 hex digits). */
    String containerId();

    int exitCode();

    /** The container's overlayfs upper directory: what the step changed. */
    Path upperDir();

    /**
     * Which relative names of {@link #upperDir} belong in the layer: a runtime leaves out what it
     * created for the container itself (mount points, /etc/hosts), as Docker's init layer does.
     */
    default Predicate<String> include() {
      return name -> true;
    }

    /** Removes the container, its mounts and cgroup. */
    @Override
    void close();
  }
}
