package kubelab.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kubelab.container.image.tar.Compression;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarReader;

/** Test helper: member names of a (possibly gzipped) tar file. */
final class TarListing {
  private TarListing() {}

  static List<String> names(Path tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = Compression.decompressed(Files.newInputStream(tar), tar.toString())) {
      TarReader r = new TarReader(in);
      for (TarEntry e; (e = r.next()) != null; ) out.add(e.name());
    }
    return out;
  }
}
