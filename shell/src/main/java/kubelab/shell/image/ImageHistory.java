package kubelab.shell.image;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import kubelab.container.image.ImageInspect;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.Params;
import kubelab.container.image.StoredImage;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image history IMAGE}: {@code docker history}'s table (IMAGE CREATED CREATED BY SIZE
 * COMMENT), newest step first. Only RUN, COPY, ADD (and commits, imports) add layers; the other
 * instructions are empty layers shown as 0B (CURRICULUM correction C34). IMAGE is the id of the
 * image a step made when the store still has it, otherwise {@code <missing>}.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Show the history of an image: one row per step, newest first; config-only steps are 0B.")
public final class ImageHistory implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(paramLabel = "IMAGE")
  String image;

  @Option(names = "--no-trunc", description = "Do not truncate CREATED BY or image ids.")
  boolean noTrunc;

  @Option(names = {"-q", "--quiet"}, description = "Only show image ids (<missing> rows included).")
  boolean quiet;

  @Option(names = {"-H", "--human"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Print sizes and dates in human-readable form (default: ${DEFAULT-VALUE}).")
  boolean human = true;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    StoredImage s = store.details(image);
    Instant now = store.clock().instant();
    PrintWriter out = spec.commandLine().getOut();
    Table t = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
    for (ImageInspect.HistoryRow r : ImageInspect.history(store, s)) {
      String id = r.imageId() == null ? "<missing>" : noTrunc ? r.imageId() : r.imageId().substring(7, 19);
      if (quiet) {
        out.println(id);
        continue;
      }
      String by = r.createdBy().replace('\t', ' ').replace('\n', ' ');
      if (!noTrunc && by.codePointCount(0, by.length()) > Params.HISTORY_CREATED_BY_WIDTH) {
        by = by.substring(0, by.offsetByCodePoints(0, Params.HISTORY_CREATED_BY_WIDTH - 1)) + "…";
      }
      t.row(id, human ? Human.ago(r.created(), now) : r.created().toString(), by,
          human ? Human.size(r.size()) : Long.toString(r.size()), r.comment());
    }
    if (quiet) out.flush();
    else t.print(out);
    return 0;
  }
}
