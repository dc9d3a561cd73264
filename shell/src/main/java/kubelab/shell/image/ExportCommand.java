package kubelab.shell.image;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.ContainerImages;
import kubelab.container.image.ImageException;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab export CONTAINER [-o FILE]}: {@code docker export}, a container's whole file system
 * flattened into one tar: no layers, no history, no config. {@code lab image import} of it makes
 * a one-layer image without CMD (compare {@code lab image save}, which keeps all of that).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a container's file system as one flat tar (no layers, no history, no config).")
public final class ExportCommand implements Callable<Integer> {
  @Mixin RootOption root;

  @Parameters(paramLabel = "CONTAINER")
  String container;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws Exception {
    LinuxRuntime runtime = new LinuxRuntime(root.root, new OciImageStore(root.root));
    if (output == null) {
      runtime.get(container); // an unknown container fails before the terminal check
      Stdio.refuseTerminal("the exported file system");
      ContainerImages.export(runtime, container, Stdio.out);
      Stdio.out.flush();
      return 0;
    }
    if (Files.isDirectory(output)) throw new ImageException("cannot export to " + output + ": it is a directory");
    Path tmp = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".exporting-" + ProcessHandle.current().pid());
    try {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        ContainerImages.export(runtime, container, out);
      }
      Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return 0;
  }
}
