package kubelab.shell.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.image.ImageInspect;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image inspect IMAGE... [-f PATH]}: {@code docker image inspect}'s JSON (an array, one
 * object per image). {@code -f Id}, {@code -f Config}, {@code -f RootFS.Layers},
 * {@code -f GraphDriver} print one field ({@code {{.Id}}} and {@code {{json .Config}}} work too).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show image details as JSON shaped like docker image inspect (Id, RepoTags, Config, RootFS, GraphDriver, Size ...).")
public final class ImageInspectCommand implements Callable<Integer> {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  @Option(names = {"-f", "--format"}, paramLabel = "PATH",
      description = "Print one field: a dotted path such as Id, Config.Entrypoint, RootFS.Layers, GraphDriver, Size.")
  String format;

  @Override
  public Integer call() throws Exception {
    OciImageStore store = new OciImageStore(root.root);
    PrintWriter out = spec.commandLine().getOut();
    ArrayNode all = PRETTY.createArrayNode();
    for (String ref : images) {
      ObjectNode n = ImageInspect.json(store, store.details(ref));
      if (format != null) out.println(FieldFormat.apply(n, format));
      else all.add(n);
    }
    if (format == null) out.println(PRETTY.writeValueAsString(all));
    out.flush();
    return 0;
  }
}
