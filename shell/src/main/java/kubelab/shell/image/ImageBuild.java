package kubelab.shell.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.build.Builder;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image build -t NAME[:TAG] [-f Dockerfile] DIR}: {@code docker build} with the classic
 * builder's output and cache ("Step 2/5 : COPY app.sh /app.sh", " ---> Using cache"). RUN steps
 * run in KubeLab containers with no network.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = {
      "Build an image from a Dockerfile: FROM (scratch or a local image, stages with AS), COPY, ADD,",
      "RUN (in a container, no network), ENV, ARG, WORKDIR, USER, LABEL, EXPOSE, VOLUME, CMD,",
      "ENTRYPOINT, HEALTHCHECK, STOPSIGNAL, SHELL. RUN/COPY/ADD add layers; the rest only change the config.",
      "A step is reused (\"Using cache\") when its parent and instruction, and for COPY/ADD the copied",
      "files' contents, match an earlier build."
    })
public final class ImageBuild implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(paramLabel = "DIR", description = "The build context directory (COPY sources are relative to it).")
  Path context;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the result (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: DIR/Dockerfile).")
  Path dockerfile;

  @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "Set a build-time variable declared with ARG (repeatable).")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--no-cache", description = "Do not use the build cache.")
  boolean noCache;

  @Option(names = "--target", paramLabel = "STAGE", description = "Build up to this stage (FROM ... AS STAGE).")
  String target;

  @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
  boolean quiet;

  @Option(names = "--trace", description = "Also list the files of the build context and what .dockerignore excluded.")
  boolean trace;

  @Override
  public Integer call() {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        String v = System.getenv(a); // docker build --build-arg NAME takes the value from the environment
        if (v == null) continue;
        args.put(a, v);
      } else {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    OciImageStore store = new OciImageStore(root.root);
    Builder b = new Builder(store, BuildRunner.forRoot(root.root), spec.commandLine().getOut());
    b.build(new Builder.Options(context, dockerfile, tags, args, noCache, trace, quiet, target));
    return 0;
  }
}
