package kubelab.container.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kubelab.container.ContainerException;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.build.ConfigInstructions;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.StateStore;

/**
 * Where containers and images meet: {@code lab commit} (a container's writable layer becomes a new
 * image layer on top of its image), {@code lab export} (its whole file system as one tar), and the
 * set of images containers use (which {@code lab image rm} will not delete without -f).
 *
 * <p>Commit takes the upper directory only: the init layer the runtime writes for
 * {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf} is a separate lower layer,
 * so, as in Docker, a commit does not capture them (CURRICULUM fs.init-layer). The new image's
 * config is the container's, as {@code docker commit} makes it: the image's config with the
 * container's environment, working directory, user, labels and command, then any
 * {@code --change} instructions.
 */
public final class ContainerImages {
  private ContainerImages() {}

  /**
   * Commits a container. Pauses a running container while its layer is read (Docker's
   * {@code --pause}, default on) unless {@code pause} is false.
   *
   * @return the new image
   */
  public static Image commit(LinuxRuntime runtime, OciImageStore store, String container, String tag, String message,
                             String author, List<String> changes, boolean pause) {
    if (tag != null) Reference.parse(tag);
    ContainerRecord r = runtime.get(container);
    if (r.upperDir == null || r.upperDir.isEmpty() || r.imageId.isEmpty()) {
      throw new ImageException("container " + r.name + " has no image (a pod sandbox): there is nothing to commit");
    }
    Image parent = store.resolve(r.imageId);
    ImageConfig base = containerConfig(parent.config(), r);
    ConfigInstructions.Result changed = ConfigInstructions.applyChanges(base, changes == null ? List.of() : changes);
    Consumer<ObjectNode> edit = cfg -> {
      if (author != null && !author.isEmpty()) cfg.put("author", author);
      changed.edits().forEach(e -> e.accept(cfg));
    };
    boolean paused = false;
    if (pause && runtime.state(r).status().equals("running")) {
      try {
        runtime.pause(r.id, true);
        paused = true;
      } catch (ContainerException e) {
        // no freezer: commit what is there, as docker commit --pause=false would
      }
    }
    try {
      return store.commit(parent, Path.of(r.upperDir), changed.config(), tag, String.join(" ", r.args),
          message == null ? "" : message, null, edit, r.userns ? imageIds(r.uidMap) : null);
    } finally {
      if (paused) {
        try {
          runtime.pause(r.id, false);
        } catch (ContainerException e) {
          // it stopped meanwhile
        }
      }
    }
  }

  /**
   * A --userns container's files are owned by the host ids its namespace maps ({@code map} is the
   * uid_map line "0 100000 65536"): host 100000 is the image's 0.
   */
  static java.util.function.LongUnaryOperator imageIds(String map) {
    String[] f = map.trim().split("\\s+");
    long inside = Long.parseLong(f[0]), outside = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
    return id -> id >= outside && id < outside + count ? id - outside + inside : id;
  }

  /**
   * The container's config as docker commit records it: environment, working directory, user and
   * labels from the container; the command split back into ENTRYPOINT (the image's, when the
   * container ran it) and CMD.
   */
  static ImageConfig containerConfig(ImageConfig image, ContainerRecord r) {
    List<String> entrypoint = image.entrypoint();
    List<String> cmd;
    if (entrypoint != null && !entrypoint.isEmpty() && r.args.size() >= entrypoint.size()
        && r.args.subList(0, entrypoint.size()).equals(entrypoint)) {
      List<String> rest = r.args.subList(entrypoint.size(), r.args.size());
      cmd = rest.isEmpty() ? null : new ArrayList<>(rest);
    } else {
      entrypoint = null;
      cmd = r.args.isEmpty() ? image.cmd() : new ArrayList<>(r.args);
    }
    Map<String, String> labels = new LinkedHashMap<>(image.labels() == null ? Map.of() : image.labels());
    labels.putAll(r.labels);
    return new ImageConfig(r.env.isEmpty() ? image.env() : r.env, entrypoint, cmd,
        r.workingDir.isEmpty() ? image.workingDir() : r.workingDir, r.user.isEmpty() ? image.user() : r.user,
        labels, image.healthcheck(), image.stopSignal());
  }

  /** {@code lab export}: the container's merged file system as one tar on {@code out}. */
  public static void export(LinuxRuntime runtime, String container, OutputStream out) {
    ContainerRecord r = runtime.get(container);
    if (r.upperDir == null || r.upperDir.isEmpty()) {
      throw new ImageException("container " + r.name + " has no image (a pod sandbox): there is nothing to export");
    }
    List<Path> dirs = new ArrayList<>();
    dirs.add(Path.of(r.upperDir));
    for (String l : r.lowerDirs) dirs.add(Path.of(l));
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) throw new ImageException("container " + r.name + " is missing its layer " + d + ": it cannot be exported");
    }
    try {
      FlatExport.write(dirs, out);
    } catch (IOException e) {
      throw new ImageException("cannot export container " + r.name + ": " + e.getMessage(), e);
    }
  }

  /** Ids of the images that containers under {@code root} (running or not) are made from. */
  public static Set<String> imagesInUse(Path root) {
    Set<String> ids = new LinkedHashSet<>();
    StateStore states = new StateStore(root);
    for (String id : states.ids()) {
      ContainerRecord r = states.read(id);
      if (r != null && r.imageId != null && !r.imageId.isEmpty()) ids.add(r.imageId);
    }
    return ids;
  }
}
