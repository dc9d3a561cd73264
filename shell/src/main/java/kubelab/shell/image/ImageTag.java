package kubelab.shell.image;

import java.util.concurrent.Callable;
import kubelab.container.image.Image;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lab image tag SOURCE TARGET}: {@code docker tag}; the name moves if another image had it. */
@Command(name = "tag", mixinStandardHelpOptions = true,
    description = "Give an image another name: TARGET[:TAG] then refers to SOURCE (a name moves from any image that had it).")
public final class ImageTag implements Callable<Integer> {
  @Mixin RootOption root;

  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", paramLabel = "TARGET[:TAG]")
  String target;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    Image img = store.resolve(source);
    store.tag(img, target);
    return 0;
  }
}
