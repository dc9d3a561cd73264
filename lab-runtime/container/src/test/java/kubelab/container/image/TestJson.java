package kubelab.container.image;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Tests read JSON with databind; the store itself does not (see oci.Json). */
public final class TestJson {
  private TestJson() {}

  public static final ObjectMapper MAPPER = new ObjectMapper();
}
