package kubelab.shell.image;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.StoredImage;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab image prune [-a]}: {@code docker image prune}. Removes dangling images
 * ({@code <none>:<none>}); with {@code -a} every image no container uses. Prints what went and the
 * space reclaimed.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Remove dangling images (<none>:<none>); with -a, all images no container uses.")
public final class ImagePrune implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Option(names = {"-a", "--all"}, description = "Remove all images without containers, not just dangling ones.")
  boolean all;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    Collection<String> inUse = ImagesInUse.of(root.root);
    long before = usage(store);
    List<String> lines = new ArrayList<>();
    for (StoredImage s : store.visible(false)) {
      if (inUse.contains(s.id())) continue;
      if (!all && !s.tags().isEmpty()) continue;
      if (store.find(s.id()) == null) continue; // already gone with an earlier one's parents
      if (s.tags().isEmpty()) lines.addAll(store.remove(s.id(), false, inUse));
      else for (String t : s.tags()) lines.addAll(store.remove(t, false, inUse));
    }
    store.gc(inUse);
    PrintWriter out = spec.commandLine().getOut();
    if (!lines.isEmpty()) {
      out.println("Deleted Images:");
      lines.forEach(out::println);
      out.println();
    }
    out.println("Total reclaimed space: " + Human.size(Math.max(0, before - usage(store))));
    out.flush();
    return 0;
  }

  private static long usage(OciImageStore store) {
    return new kubelab.container.image.CriImageService(store, null).imageFsInfo().get(0).usedBytes();
  }
}
