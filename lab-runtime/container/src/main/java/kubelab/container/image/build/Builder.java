package kubelab.container.image.build;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageException;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.Params;
import kubelab.container.image.Reference;
import kubelab.container.image.StoredImage;
import kubelab.container.image.fs.LayeredView;
import kubelab.container.image.oci.ConfigJson;

/**
 * {@code lab image build}: runs a Dockerfile the way Docker's classic builder did, step by step,
 * with its output ("Step 2/5 : COPY app.sh /app.sh", " ---> Using cache", " ---> 1a2b3c4d5e6f").
 *
 * <p>Each step makes an image: RUN, COPY and ADD add a layer; every other instruction changes only
 * the config and appears in the history as an empty layer of 0 B (CURRICULUM C34). Each step's
 * image records its parent, so the store knows the chain; untagged steps are intermediate images.
 *
 * <p>The build cache is Docker's classic one, kept in the store itself: a step is a hit when an
 * image exists whose parent is the current image and whose last history entry is this step's
 * {@code created_by} line. That line carries everything that decides the result: the instruction
 * (with variables expanded), and for COPY/ADD a checksum of the copied files' names, modes,
 * owners and contents (not their times); for RUN the build args in force. The first miss makes
 * every later step a miss, because their parent is new. {@code --no-cache} never looks.
 *
 * <p>Multi-stage builds: each FROM starts a stage ({@code FROM busybox AS build}); {@code COPY
 * --from=build} (a stage name or index, or an image) copies from a stage's result, read through
 * {@link LayeredView}; the last stage (or {@code --target}) is the result.
 *
 * <p>Blocking, single-threaded; writes go through the store's lock one step at a time.
 */
public final class Builder {
  /** What to build. {@code dockerfile} null means {@code context/Dockerfile}. */
  public record Options(Path context, Path dockerfile, List<String> tags, Map<String, String> buildArgs, boolean noCache,
                        boolean trace, boolean quiet, String target) {
    public Options {
      tags = List.copyOf(tags);
      buildArgs = Map.copyOf(buildArgs);
    }
  }

  /** Docker's predefined build args (allowed without an ARG line). */
  private static final java.util.Set<String> PREDEFINED_ARGS = java.util.Set.of("HTTP_PROXY", "http_proxy",
      "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

  private final OciImageStore store;
  private final RunExecutor runner;
  private final PrintWriter out;

  /** {@code runner} may be null: RUN steps then fail with a message saying so. */
  public Builder(OciImageStore store, RunExecutor runner, PrintWriter out) {
    this.store = store;
    this.runner = runner;
    this.out = out;
  }

  /** Stage state: the image so far and the config it will get. */
  static final class Stage {
    final String name;
    final int index;
    StoredImage image; // null: scratch with no step yet
    ImageConfig config;
    final Map<String, String> args = new LinkedHashMap<>(); // ARGs declared in this stage, with values
    List<String> shell = List.of("/bin/sh", "-c");
    boolean cmdSetHere;

    Stage(String name, int index) {
      this.name = name;
      this.index = index;
    }
  }

  private String file;
  private char escape;
  private Options opts;
  private BuildContext context;
  private final List<Stage> stages = new ArrayList<>();
  private final Map<String, String> metaArgs = new LinkedHashMap<>(); // ARGs before the first FROM
  private boolean cacheBroken;

  /** Runs the build and returns the resulting image (tagged with every {@code -t}). */
  public StoredImage build(Options o) {
    this.opts = o;
    for (String t : o.tags()) Reference.parse(t);
    if (!Files.isDirectory(o.context())) {
      throw new ImageException("unable to prepare context: path \"" + o.context() + "\" not found (give the build context directory)");
    }
    Path df = o.dockerfile() != null ? o.dockerfile() : o.context().resolve("Dockerfile");
    file = o.dockerfile() != null ? o.dockerfile().toString() : "Dockerfile";
    if (!Files.isRegularFile(df)) {
      throw new ImageException("unable to prepare context: cannot find " + df
          + (o.dockerfile() == null ? " (the build context needs a Dockerfile, or give one with -f)" : ""));
    }
    DockerfileParser.Parsed parsed;
    try {
      parsed = DockerfileParser.parse(Files.readString(df, StandardCharsets.UTF_8), file);
      context = BuildContext.open(o.context());
    } catch (IOException e) {
      throw new ImageException("cannot read the build context: " + e.getMessage(), e);
    }
    escape = parsed.escape();
    List<Instruction> all = parsed.instructions();
    int firstFrom = 0;
    while (firstFrom < all.size() && all.get(firstFrom).keyword().equals("ARG")) firstFrom++;
    if (firstFrom >= all.size() || !all.get(firstFrom).keyword().equals("FROM")) {
      Instruction bad = firstFrom < all.size() ? all.get(firstFrom) : all.get(0);
      throw DockerfileParser.error(file, bad.line(), "the first instruction must be FROM (only ARG may come before it), not " + bad.keyword());
    }
    validate(all);
    for (String k : o.buildArgs().keySet()) {
      boolean declared = all.stream().anyMatch(i -> i.keyword().equals("ARG") && argName(i).equals(k));
      if (!declared && !PREDEFINED_ARGS.contains(k)) {
        out.println("[Warning] One or more build-args [" + k + "] were not consumed");
      }
    }
    printContext();
    for (int i = 0; i < firstFrom; i++) metaArg(all.get(i));
    List<Instruction> steps = all.subList(firstFrom, all.size());
    int total = steps.size();
    if (o.target() != null) total = stepsUntilTarget(steps, o.target());
    for (int n = 0; n < total; n++) {
      Instruction ins = steps.get(n);
      say("Step " + (n + 1) + "/" + total + " : " + ins.original());
      try {
        dispatch(ins);
      } catch (Words.SyntaxError e) {
        throw DockerfileParser.error(file, ins.line(), e.getMessage());
      } catch (IOException e) {
        throw new ImageException(file + ":" + ins.line() + ": " + ins.keyword() + " failed: " + e.getMessage(), e);
      }
    }
    Stage last = stages.get(stages.size() - 1);
    if (last.image == null) { // FROM scratch and nothing else: an image with no layers
      last.image = store.commitConfig(null, last.config, null,
          new ConfigJson.History(store.clock().instant(), "/bin/sh -c #(nop)  FROM scratch", null, true), null);
    }
    Image result = store.toImage(last.image);
    say("Successfully built " + result.shortId());
    for (String t : o.tags()) {
      store.tag(result, t);
      say("Successfully tagged " + Reference.parse(t).nameTag());
    }
    if (o.quiet()) out.println(result.id());
    out.flush();
    return store.details(result.id());
  }

  private int stepsUntilTarget(List<Instruction> steps, String target) {
    boolean inTarget = false;
    for (int i = 0; i < steps.size(); i++) {
      Instruction ins = steps.get(i);
      if (ins.keyword().equals("FROM")) {
        if (inTarget) return i;
        List<String> w = ins.args().isEmpty() ? List.of() : List.of(ins.text().split("\\s+"));
        if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS") && w.get(2).equalsIgnoreCase(target)) inTarget = true;
      }
    }
    if (!inTarget) throw new ImageException("target stage \"" + target + "\" could not be found in " + file);
    return steps.size();
  }

  /** Checks what can be checked before running anything, so a typo on line 9 fails before step 1 runs. */
  private void validate(List<Instruction> all) {
    for (Instruction i : all) {
      switch (i.keyword()) {
        case "COPY", "ADD" -> {
          if (i.execForm() ? i.args().size() < 2 : i.text().trim().split("\\s+").length < 2) {
            throw DockerfileParser.error(file, i.line(), i.keyword() + " requires at least two arguments, but only one was provided. Destination could not be determined");
          }
        }
        case "ONBUILD" -> throw DockerfileParser.error(file, i.line(), "ONBUILD is not supported by KubeLab's builder");
        case "MAINTAINER", "FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "LABEL", "EXPOSE", "VOLUME", "USER", "WORKDIR",
             "ARG", "STOPSIGNAL", "HEALTHCHECK", "SHELL" -> { }
        default -> throw DockerfileParser.error(file, i.line(), "unknown instruction: " + i.keyword());
      }
      if (i.keyword().equals("RUN") && i.flags().containsKey("mount")) {
        throw DockerfileParser.error(file, i.line(), "RUN --mount is a BuildKit feature KubeLab's builder does not support");
      }
      if (i.keyword().equals("ENV") || i.keyword().equals("LABEL")) {
        if (i.text().isBlank()) throw DockerfileParser.error(file, i.line(), i.keyword() + " names can not be blank");
      }
    }
  }

  private void printContext() {
    say("Build context " + opts.context() + ": " + context.files() + " files, " + humanSize(context.bytes())
        + (context.excludedFiles() > 0 ? " (.dockerignore excluded " + context.excludedFiles() + " files, "
        + humanSize(context.excludedBytes()) + ")" : ""));
    if (opts.trace()) {
      for (String f : context.list()) say("  context: " + f);
      for (String f : context.excludedList()) say("  ignored: " + f);
    }
  }

  // ---- dispatch ----------------------------------------------------------------------------------

  private void dispatch(Instruction ins) throws IOException, Words.SyntaxError {
    if (ins.keyword().equals("FROM")) {
      from(ins);
      return;
    }
    Stage s = stages.get(stages.size() - 1);
    switch (ins.keyword()) {
      case "RUN" -> run(s, ins);
      case "COPY", "ADD" -> copy(s, ins);
      case "ENV", "LABEL", "MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL", "EXPOSE", "VOLUME", "CMD", "ENTRYPOINT",
           "HEALTHCHECK" -> {
        ConfigInstructions.Change ch = ConfigInstructions.apply(s.config, ins, s.shell, s.cmdSetHere, vars(s), escape);
        if (ins.keyword().equals("CMD")) s.cmdSetHere = true;
        meta(s, ins, ch.shown(), ch.config(), ch.edit());
      }
      case "SHELL" -> {
        s.shell = ins.args();
        meta(s, ins, "SHELL " + ConfigInstructions.goList(ins.args()), s.config, c -> {
          var arr = ((ObjectNode) c.get("config")).putArray("Shell");
          ins.args().forEach(arr::add);
        });
      }
      case "ARG" -> {
        String name = argName(ins);
        String value = argValue(s, ins, name);
        s.args.put(name, value);
        meta(s, ins, "ARG " + name + (value != null && ins.text().contains("=") ? "=" + value : ""), s.config, null);
      }
      default -> throw new Words.SyntaxError("unknown instruction: " + ins.keyword());
    }
  }

  private void from(Instruction ins) throws Words.SyntaxError {
    List<String> w = Words.split(ins.text(), metaArgs::get, escape);
    String name = null;
    if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")) {
      name = w.get(2).toLowerCase(java.util.Locale.ROOT);
    } else if (w.size() != 1) {
      throw new Words.SyntaxError("FROM requires either one or three arguments (FROM IMAGE [AS NAME])");
    }
    String platform = ins.flags().get("platform");
    if (platform != null && !platform.isEmpty() && !platform.equals("linux/" + ConfigJson.goArch())) {
      throw new Words.SyntaxError("--platform=" + platform + " is not this machine's platform (linux/" + ConfigJson.goArch() + ")");
    }
    Stage s = new Stage(name, stages.size());
    String base = w.get(0);
    if (base.equalsIgnoreCase("scratch")) {
      s.image = null;
      s.config = new ImageConfig(List.of(Params.DEFAULT_PATH), null, null, null, null, Map.of(), null, null);
    } else {
      Stage prior = stageNamed(base);
      s.image = prior != null ? prior.image : store.details(base);
      s.config = s.image == null ? prior.config : s.image.imageConfig();
      say(" ---> " + (s.image == null ? "scratch" : shortId(s.image)));
    }
    stages.add(s);
  }

  private Stage stageNamed(String name) {
    for (Stage s : stages) if (name.equalsIgnoreCase(s.name) || name.equals(Integer.toString(s.index))) return s;
    return null;
  }

  /** A config-only step: an image with the same layers, a new config, an empty-layer history entry. */
  private void meta(Stage s, Instruction ins, String shown, ImageConfig newConfig, Consumer<ObjectNode> edit) {
    String createdBy = "/bin/sh -c #(nop)  " + shown;
    if (useCache(s, createdBy, false)) {
      s.config = s.image.imageConfig();
      return;
    }
    s.image = store.commitConfig(s.image, newConfig, null,
        new ConfigJson.History(store.clock().instant(), createdBy, null, true), edit);
    s.config = newConfig;
    say(" ---> " + shortId(s.image));
  }

  /** Looks for a cached step; prints and moves the stage on a hit. */
  private boolean useCache(Stage s, String createdBy, boolean layer) {
    if (opts.noCache() || cacheBroken) return false;
    String parent = s.image == null ? null : s.image.id();
    int parentLayers = s.image == null ? 0 : s.image.diffIds().size();
    int parentHistory = s.image == null ? 0 : s.image.history().size();
    for (StoredImage c : store.all()) {
      if (c.held() || !java.util.Objects.equals(parent, c.parent())) continue;
      var h = c.history();
      if (h.size() != parentHistory + 1 || !h.get(h.size() - 1).createdBy().equals(createdBy)) continue;
      if (c.diffIds().size() != parentLayers + (layer ? 1 : 0)) continue;
      if (s.image != null && !c.diffIds().subList(0, parentLayers).equals(s.image.diffIds())) continue;
      say(" ---> Using cache");
      say(" ---> " + shortId(c));
      s.image = c;
      return true;
    }
    cacheBroken = true; // the first miss makes every later step a miss (their parent is new)
    return false;
  }

  // ---- RUN -----------------------------------------------------------------------------------------

  private void run(Stage s, Instruction ins) throws IOException {
    List<String> argv = ins.execForm() ? ins.args() : concat(s.shell, ins.text());
    if (argv.isEmpty()) throw new IOException("RUN needs a command");
    Map<String, String> args = new TreeMap<>();
    for (var a : s.args.entrySet()) if (a.getValue() != null) args.put(a.getKey(), a.getValue());
    StringBuilder createdBy = new StringBuilder();
    if (!args.isEmpty()) {
      createdBy.append('|').append(args.size());
      args.forEach((k, v) -> createdBy.append(' ').append(k).append('=').append(v));
      createdBy.append(' ');
    }
    createdBy.append(String.join(" ", argv));
    if (useCache(s, createdBy.toString(), true)) {
      s.config = s.image.imageConfig();
      return;
    }
    if (runner == null) {
      throw new ImageException(file + ":" + ins.line() + ": RUN needs the container runtime, which is not available here");
    }
    List<String> env = new ArrayList<>(s.config.env());
    args.forEach((k, v) -> {
      if (env.stream().noneMatch(e -> e.startsWith(k + "="))) env.add(k + "=" + v);
    });
    ImageConfig runConfig = ConfigInstructions.with(s.config, env, null, null, null, null, null, null, null);
    Image image = s.image == null ? null : store.toImage(s.image);
    OutputStream sink = new WriterStream(out);
    try (RunExecutor.Run r = runner.run(image, runConfig, argv, sink, id -> say(" ---> Running in " + id))) {
      sink.flush();
      if (r.exitCode() != 0) {
        throw new ImageException("The command '" + String.join(" ", argv) + "' returned a non-zero code: " + r.exitCode());
      }
      Image committed = store.commit(image, r.upperDir(), s.config, null, createdBy.toString(), null, r.include());
      s.image = store.details(committed.id());
      say("Removing intermediate container " + r.containerId());
    }
    say(" ---> " + shortId(s.image));
  }

  // ---- COPY / ADD ----------------------------------------------------------------------------------

  private void copy(Stage s, Instruction ins) throws IOException, Words.SyntaxError {
    CopyStep step = new CopyStep(store, context, s, ins, words(s, ins), escape, this::stageNamed);
    CopyPlan plan = step.plan();
    String createdBy = "/bin/sh -c #(nop) " + ins.keyword() + " " + plan.checksum(step.checksumKind()) + " in " + step.dest() + " ";
    if (useCache(s, createdBy, true)) {
      s.config = s.image.imageConfig();
      return;
    }
    Path tar = store.layout().newTempFile("copy-", ".tar");
    try {
      try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
           kubelab.container.image.tar.TarWriter w = new kubelab.container.image.tar.TarWriter(os)) {
        plan.write(w);
      }
      s.image = store.commitTar(s.image, tar, s.config, new ConfigJson.History(store.clock().instant(), createdBy, null, false));
    } finally {
      Files.deleteIfExists(tar);
    }
    say(" ---> " + shortId(s.image));
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private static List<String> concat(List<String> shell, String text) {
    List<String> out = new ArrayList<>(shell);
    out.add(text);
    return out;
  }

  private List<String> words(Stage s, Instruction ins) throws Words.SyntaxError {
    return ConfigInstructions.words(ins, vars(s), escape);
  }

  private java.util.function.Function<String, String> vars(Stage s) {
    Map<String, String> args = new LinkedHashMap<>();
    s.args.forEach((k, v) -> {
      if (v != null) args.put(k, v);
    });
    return Words.lookup(s.config.env(), args);
  }

  private static String argName(Instruction ins) {
    String t = ins.text().trim();
    int eq = t.indexOf('=');
    return eq < 0 ? t.split("\\s+")[0] : t.substring(0, eq);
  }

  private String argValue(Stage s, Instruction ins, String name) throws Words.SyntaxError {
    if (opts.buildArgs().containsKey(name)) return opts.buildArgs().get(name);
    if (metaArgs.containsKey(name) && !ins.text().contains("=")) return metaArgs.get(name); // re-declared global ARG
    String t = ins.text().trim();
    int eq = t.indexOf('=');
    if (eq < 0) return null;
    return Words.expand(t.substring(eq + 1), vars(s), escape);
  }

  private void metaArg(Instruction ins) throws ImageException {
    String name = argName(ins);
    try {
      String t = ins.text().trim();
      int eq = t.indexOf('=');
      String v = opts.buildArgs().containsKey(name) ? opts.buildArgs().get(name)
          : eq < 0 ? null : Words.expand(t.substring(eq + 1), metaArgs::get, escape);
      metaArgs.put(name, v);
    } catch (Words.SyntaxError e) {
      throw DockerfileParser.error(file, ins.line(), e.getMessage());
    }
  }

  private static String shortId(StoredImage s) {
    return s.id().substring(7, 19);
  }

  private void say(String line) {
    if (opts != null && opts.quiet()) return;
    out.println(line);
    out.flush();
  }

  /** Docker's units.HumanSize: decimal units, four significant digits ("2.048kB"). */
  static String humanSize(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + units[u];
  }

  /** RUN output goes to the build's writer as text. */
  private static final class WriterStream extends OutputStream {
    private final PrintWriter out;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) {
      pending.write(b);
      if (b == '\n') flush();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      pending.write(b, off, len);
      for (int i = off + len - 1; i >= off; i--) {
        if (b[i] == '\n') {
          flush(); // whole lines only, so a UTF-8 sequence is never split
          return;
        }
      }
    }

    @Override
    public synchronized void flush() {
      if (pending.size() == 0) return;
      out.print(pending.toString(StandardCharsets.UTF_8));
      out.flush();
      pending.reset();
    }
  }
}
