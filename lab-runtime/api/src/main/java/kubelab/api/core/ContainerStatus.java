package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** The observed state of one container: exactly one of waiting, running, terminated is set. */
public class ContainerStatus extends Extensible {
  public String name;
  public String image;
  public String imageID;
  public String containerID;
  public Boolean ready;
  public Boolean started;
  public Integer restartCount;
  public Map<String, Object> state;
  public Map<String, Object> lastState;
}
