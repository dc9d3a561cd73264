package kubelab.container.image.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageException;
import kubelab.container.image.fs.LayeredView;

/**
 * The Dockerfile instructions that change only an image's config (CURRICULUM C34: no layer):
 * ENV, LABEL, MAINTAINER, WORKDIR, USER, STOPSIGNAL, EXPOSE, VOLUME, CMD, ENTRYPOINT and
 * HEALTHCHECK. Shared by the builder and by {@code --change} of {@code lab commit} and
 * {@code lab image import} (Docker's {@code -c 'CMD ["sh"]'}).
 *
 * <p>Each instruction maps a config to a new one and says how it reads in history
 * ({@code shown}), plus an edit for fields {@link ImageConfig} does not model (ExposedPorts,
 * Volumes, author). Pure functions; nothing here touches the store.
 */
public final class ConfigInstructions {
  private ConfigInstructions() {}

  /** The result of one instruction. {@code edit} may be null. */
  public record Change(ImageConfig config, String shown, Consumer<ObjectNode> edit) {}

  /** Instructions that only change the config, in Docker's list of --change instructions (plus MAINTAINER). */
  public static final java.util.Set<String> CONFIG_ONLY = java.util.Set.of("ENV", "LABEL", "MAINTAINER", "WORKDIR", "USER",
      "STOPSIGNAL", "EXPOSE", "VOLUME", "CMD", "ENTRYPOINT", "HEALTHCHECK");

  /**
   * Applies one config instruction. {@code shell} is the stage's SHELL (for shell-form CMD and
   * ENTRYPOINT); {@code cmdSetHere} says whether this stage set CMD (an ENTRYPOINT resets an
   * inherited CMD, as Docker does).
   */
  static Change apply(ImageConfig c, Instruction ins, List<String> shell, boolean cmdSetHere,
                      Function<String, String> vars, char escape) throws Words.SyntaxError {
    switch (ins.keyword()) {
      case "ENV" -> {
        List<String> env = new ArrayList<>(c.env());
        StringBuilder shown = new StringBuilder();
        for (String[] kv : pairs(ins, true, vars, escape)) {
          env.removeIf(e -> e.startsWith(kv[0] + "="));
          env.add(kv[0] + "=" + kv[1]);
          shown.append(shown.length() == 0 ? "" : " ").append(kv[0]).append('=').append(kv[1]);
        }
        return new Change(with(c, env, null, null, null, null, null, null, null), "ENV " + shown, null);
      }
      case "LABEL" -> {
        Map<String, String> labels = new TreeMap<>(c.labels() == null ? Map.of() : c.labels());
        StringBuilder shown = new StringBuilder();
        for (String[] kv : pairs(ins, false, vars, escape)) {
          labels.put(kv[0], kv[1]);
          shown.append(shown.length() == 0 ? "" : " ").append(kv[0]).append('=').append(kv[1]);
        }
        return new Change(with(c, null, null, null, null, null, labels, null, null), "LABEL " + shown, null);
      }
      case "MAINTAINER" -> {
        return new Change(c, "MAINTAINER " + ins.text(), cfg -> cfg.put("author", ins.text()));
      }
      case "WORKDIR" -> {
        String dir = String.join(" ", words(ins, vars, escape));
        String wd = dir.startsWith("/") ? dir : (c.workingDir() == null ? "/" : c.workingDir() + "/") + dir;
        wd = "/" + String.join("/", LayeredView.components(wd));
        return new Change(with(c, null, null, null, wd, null, null, null, null), "WORKDIR " + wd, null);
      }
      case "USER" -> {
        String user = String.join(" ", words(ins, vars, escape));
        return new Change(with(c, null, null, null, null, user, null, null, null), "USER " + user, null);
      }
      case "STOPSIGNAL" -> {
        String sig = String.join(" ", words(ins, vars, escape));
        return new Change(with(c, null, null, null, null, null, null, null, sig), "STOPSIGNAL " + sig, null);
      }
      case "EXPOSE" -> {
        List<String> ports = new ArrayList<>();
        for (String p : words(ins, vars, escape)) {
          String port = p.contains("/") ? p : p + "/tcp";
          if (!port.matches("\\d+(-\\d+)?/(tcp|udp|sctp)")) throw new Words.SyntaxError("invalid containerPort: " + p);
          ports.add(port);
        }
        return new Change(c, "EXPOSE " + String.join(" ", ports), cfg -> {
          ObjectNode config = config(cfg);
          ObjectNode ep = config.has("ExposedPorts") ? (ObjectNode) config.get("ExposedPorts") : config.putObject("ExposedPorts");
          ports.forEach(ep::putObject);
        });
      }
      case "VOLUME" -> {
        List<String> vols = ins.execForm() ? ins.args() : words(ins, vars, escape);
        return new Change(c, "VOLUME " + vols, cfg -> {
          ObjectNode config = config(cfg);
          ObjectNode v = config.has("Volumes") ? (ObjectNode) config.get("Volumes") : config.putObject("Volumes");
          vols.forEach(v::putObject);
        });
      }
      case "CMD" -> {
        List<String> cmd = command(ins, shell);
        return new Change(with(c, null, null, cmd, null, null, null, null, null), "CMD " + goList(cmd), null);
      }
      case "ENTRYPOINT" -> {
        List<String> ep = command(ins, shell);
        List<String> cmd = cmdSetHere ? c.cmd() : null; // Docker: an ENTRYPOINT resets an inherited CMD
        return new Change(new ImageConfig(c.env(), ep, cmd, c.workingDir(), c.user(), c.labels(), c.healthcheck(),
            c.stopSignal()), "ENTRYPOINT " + goList(ep), null);
      }
      case "HEALTHCHECK" -> {
        return new Change(with(c, null, null, null, null, null, null, healthcheck(ins), null),
            "HEALTHCHECK " + ins.original().substring(ins.original().indexOf(' ') + 1).trim(), null);
      }
      default -> throw new Words.SyntaxError(ins.keyword() + " does not change the config alone");
    }
  }

  /** The result of {@link #applyChanges}: the config, the tree edits, and the history text. */
  public record Result(ImageConfig config, List<Consumer<ObjectNode>> edits, List<String> shown) {}

  /**
   * {@code --change}/{@code -c} of commit and import: Dockerfile lines applied to {@code base}.
   *
   * @throws ImageException for an instruction that is not allowed or malformed
   */
  public static Result applyChanges(ImageConfig base, List<String> changes) {
    ImageConfig c = base;
    List<Consumer<ObjectNode>> edits = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (String change : changes) {
      Instruction ins;
      try {
        ins = DockerfileParser.parse(change, "--change").instructions().get(0);
      } catch (ImageException e) {
        throw new ImageException("invalid --change \"" + change + "\": " + e.getMessage().replaceFirst("^--change:\\d+: ", ""));
      }
      if (!CONFIG_ONLY.contains(ins.keyword())) {
        throw new ImageException("invalid --change \"" + change + "\": " + ins.keyword()
            + " is not allowed (use CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, STOPSIGNAL, USER, VOLUME or WORKDIR)");
      }
      try {
        Change ch = apply(c, ins, List.of("/bin/sh", "-c"), true, Words.lookup(c.env(), Map.of()), '\\');
        c = ch.config();
        if (ch.edit() != null) edits.add(ch.edit());
        shown.add(ch.shown());
      } catch (Words.SyntaxError e) {
        throw new ImageException("invalid --change \"" + change + "\": " + e.getMessage());
      }
    }
    return new Result(c, edits, shown);
  }

  private static ObjectNode config(ObjectNode cfg) {
    return cfg.has("config") && cfg.get("config").isObject() ? (ObjectNode) cfg.get("config") : cfg.putObject("config");
  }

  static List<String> command(Instruction ins, List<String> shell) {
    if (ins.execForm()) return ins.args();
    if (ins.text().isEmpty()) return List.of();
    List<String> out = new ArrayList<>(shell);
    out.add(ins.text());
    return out;
  }

  static List<String> words(Instruction ins, Function<String, String> vars, char escape) throws Words.SyntaxError {
    if (ins.execForm()) return ins.args();
    return Words.split(ins.text(), vars, escape);
  }

  /** ENV and LABEL pairs: "K=V K2=V2" (quotes allowed), or the legacy "K V with spaces" for ENV. */
  private static List<String[]> pairs(Instruction ins, boolean env, Function<String, String> vars, char escape)
      throws Words.SyntaxError {
    List<String[]> out = new ArrayList<>();
    String text = ins.text();
    List<String> w = Words.split(text, vars, escape);
    if (!w.isEmpty() && !w.get(0).contains("=")) { // legacy form: ENV KEY VALUE...
      if (!env) throw new Words.SyntaxError("LABEL needs KEY=VALUE pairs");
      if (w.size() < 2) throw new Words.SyntaxError("ENV must have two arguments (ENV KEY=VALUE, or the old form ENV KEY VALUE)");
      String key = w.get(0);
      int at = text.indexOf(key) + key.length();
      out.add(new String[] {key, Words.expand(text.substring(at).trim(), vars, escape)});
      return out;
    }
    for (String word : w) {
      int eq = word.indexOf('=');
      if (eq <= 0) throw new Words.SyntaxError(ins.keyword() + " names can not be blank, and each pair needs '=': \"" + word + "\"");
      out.add(new String[] {word.substring(0, eq), word.substring(eq + 1)});
    }
    return out;
  }

  private static ImageConfig.Healthcheck healthcheck(Instruction ins) throws Words.SyntaxError {
    String rest = ins.text().trim();
    if (rest.equalsIgnoreCase("NONE")) return new ImageConfig.Healthcheck(List.of("NONE"), 0, 0, 0, 0);
    if (!rest.regionMatches(true, 0, "CMD", 0, 3) || (rest.length() > 3 && !Character.isWhitespace(rest.charAt(3)))) {
      throw new Words.SyntaxError("HEALTHCHECK needs NONE or CMD COMMAND (options like --interval=30s come first)");
    }
    String cmd = rest.substring(3).trim();
    if (cmd.isEmpty()) throw new Words.SyntaxError("HEALTHCHECK CMD needs a command");
    List<String> test = new ArrayList<>();
    List<String> exec = cmd.startsWith("[") ? DockerfileParser.jsonArray(cmd) : null;
    if (exec != null) {
      test.add("CMD");
      test.addAll(exec);
    } else {
      test.add("CMD-SHELL");
      test.add(cmd);
    }
    String retries = ins.flags().getOrDefault("retries", "0");
    int r;
    try {
      r = Integer.parseInt(retries);
    } catch (NumberFormatException e) {
      throw new Words.SyntaxError("--retries must be a number, not \"" + retries + "\"");
    }
    return new ImageConfig.Healthcheck(test, duration(ins.flags().get("interval")), duration(ins.flags().get("timeout")),
        duration(ins.flags().get("start-period")), r);
  }

  /** A Go duration ("30s", "1m30s", "500ms") in nanoseconds; null is 0 (Docker's default applies). */
  static long duration(String s) throws Words.SyntaxError {
    if (s == null || s.isEmpty()) return 0;
    try {
      return kubelab.container.Units.parseDuration(s, "duration");
    } catch (kubelab.container.ContainerException e) {
      throw new Words.SyntaxError(e.getMessage());
    }
  }

  static ImageConfig with(ImageConfig c, List<String> env, List<String> entrypoint, List<String> cmd,
                          String workdir, String user, Map<String, String> labels,
                          ImageConfig.Healthcheck hc, String stopSignal) {
    return new ImageConfig(env != null ? env : c.env(), entrypoint != null ? entrypoint : c.entrypoint(),
        cmd != null ? cmd : c.cmd(), workdir != null ? workdir : c.workingDir(), user != null ? user : c.user(),
        labels != null ? labels : c.labels(), hc != null ? hc : c.healthcheck(), stopSignal != null ? stopSignal : c.stopSignal());
  }

  /** Go's %q of a string slice, as the classic builder writes CMD and ENTRYPOINT into history. */
  static String goList(List<String> l) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) b.append(' ');
      b.append('"').append(l.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return b.append(']').toString();
  }
}
