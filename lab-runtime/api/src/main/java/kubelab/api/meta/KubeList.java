package kubelab.api.meta;

import java.util.ArrayList;
import java.util.List;

/** A list of objects as the API returns it ({@code PodList}, {@code NodeList}, ...). */
public class KubeList<T> extends Extensible {
  public String apiVersion;
  public String kind;
  public ListMeta metadata = new ListMeta();
  public List<T> items = new ArrayList<>();
}
