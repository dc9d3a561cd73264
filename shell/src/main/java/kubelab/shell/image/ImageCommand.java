package kubelab.shell.image;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab image}: the image store, with Docker's verbs and output shapes
 * ({@code docker image ls|import|load|build|history|inspect|rm|save|tag|prune}). Images live as an
 * OCI image layout under {@code <root>/images}, which umoci and skopeo can read.
 */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = {
      "Manage images: content-addressed layers in an OCI image layout under <root>/images.",
      "The built-in busybox:latest is made from the host's static busybox on first use."
    },
    subcommands = {
      ImageLs.class,
      ImageImport.class,
      ImageLoad.class,
      ImageBuild.class,
      ImageHistory.class,
      ImageInspectCommand.class,
      ImageRm.class,
      ImageSave.class,
      ImageTag.class,
      ImagePrune.class,
    })
public final class ImageCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
