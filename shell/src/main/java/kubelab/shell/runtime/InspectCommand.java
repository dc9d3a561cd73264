package kubelab.shell.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.container.Inspect;
import kubelab.container.LinuxRuntime;
import kubelab.container.state.Json;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab inspect NAME... [-f PATH]}: JSON shaped like {@code docker inspect}, plus namespace
 * inodes, cgroup directories with live values and overlay directories. {@code -f State.Pid}
 * (or Docker's {@code '{{.State.Pid}}'}) prints one field per container.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show a container's details as JSON (like docker inspect).",
        "",
        "  lab inspect c1 -f State.Pid        # the host pid of its first process",
        "  lab inspect c1 -f CgroupPath       # its cgroup directory",
        "  lab inspect c1 -f GraphDriver.Data.UpperDir"})
public final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;
  @Option(names = {"-f", "--format"}, paramLabel = "PATH", description = "Print only this field (dotted path, e.g. State.Pid).") String format;
  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Container names or ids.") List<String> names;

  @Override
  public Integer call() {
    LinuxRuntime rt = Runtimes.open(root.root);
    PrintWriter out = spec.commandLine().getOut();
    List<Object> all = new ArrayList<>();
    for (String n : names) {
      Map<String, Object> m = Inspect.of(rt, rt.get(n));
      if (format != null) out.println(Inspect.path(m, format));
      else all.add(m);
    }
    if (format == null) out.println(Json.write(all, true));
    out.flush();
    return 0;
  }
}
