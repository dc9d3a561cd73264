package kubelab.shell.image;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.StoredImage;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image ls}: {@code docker images}' table (REPOSITORY TAG IMAGE ID CREATED SIZE), one
 * row per tag, dangling images as {@code <none> <none>}, intermediate build images only with
 * {@code -a}.
 */
@Command(name = "ls", aliases = {"list"}, mixinStandardHelpOptions = true,
    description = "List images: one row per tag; <none> <none> is a dangling image (its tag moved to a newer build).")
public final class ImageLs implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Option(names = {"-a", "--all"}, description = "Show intermediate images of builds too.")
  boolean all;

  @Option(names = {"-q", "--quiet"}, description = "Only show image ids.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Show full image ids (sha256:...).")
  boolean noTrunc;

  @Option(names = "--digests", description = "Show the manifest digest of each image.")
  boolean digests;

  @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE",
      description = "Filter: dangling=true|false, reference=PATTERN (globs like app:*).")
  List<String> filters = new ArrayList<>();

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only this repository (and tag).")
  String repository;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    Boolean dangling = null;
    List<Pattern> refs = new ArrayList<>();
    if (repository != null) refs.add(glob(repository.contains(":") ? repository : repository + ":*"));
    for (String f : filters) {
      int eq = f.indexOf('=');
      String k = eq < 0 ? f : f.substring(0, eq);
      String v = eq < 0 ? "" : f.substring(eq + 1);
      switch (k) {
        case "dangling" -> {
          if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException("invalid filter 'dangling=" + v + "': use dangling=true or dangling=false");
          dangling = v.equals("true");
        }
        case "reference" -> refs.add(glob(v.contains(":") ? v : v + ":*"));
        default -> throw new IllegalArgumentException("invalid filter '" + k + "': use dangling=true|false or reference=PATTERN");
      }
    }
    Instant now = store.clock().instant();
    Table t = digests ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
        : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    PrintWriter out = spec.commandLine().getOut();
    for (StoredImage s : store.visible(all)) {
      boolean isDangling = s.tags().isEmpty();
      if (dangling != null && dangling != isDangling) continue;
      List<String[]> names = new ArrayList<>();
      if (isDangling) names.add(new String[] {"<none>", "<none>"});
      for (String tag : s.tags()) {
        int colon = tag.lastIndexOf(':');
        names.add(new String[] {tag.substring(0, colon), tag.substring(colon + 1)});
      }
      String id = noTrunc ? s.id() : s.id().substring(7, 19);
      for (String[] n : names) {
        if (!refs.isEmpty() && (isDangling || refs.stream().noneMatch(p -> p.matcher(n[0] + ":" + n[1]).matches()))) continue;
        if (quiet) {
          out.println(id);
          continue;
        }
        String created = Human.ago(s.created(), now);
        String size = Human.size(store.size(s));
        if (digests) t.row(n[0], n[1], isDangling ? "<none>" : s.manifestDigest(), id, created, size);
        else t.row(n[0], n[1], id, created, size);
      }
    }
    if (quiet) out.flush();
    else t.print(out);
    return 0;
  }

  /** A Docker reference filter pattern: '*' matches within a path component, as path.Match does. */
  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') re.append("[^/]*");
      else if (c == '?') re.append("[^/]");
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }
}
