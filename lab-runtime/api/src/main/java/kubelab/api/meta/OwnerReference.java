package kubelab.api.meta;

/** Points from a dependent (a Pod) to its owner (its ReplicaSet); the garbage collector follows it. */
public class OwnerReference extends Extensible {
  public String apiVersion;
  public String kind;
  public String name;
  public String uid;
  public Boolean controller;
  public Boolean blockOwnerDeletion;
}
