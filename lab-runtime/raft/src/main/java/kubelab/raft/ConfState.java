package kubelab.raft;

import java.util.List;

/** The membership of the cluster: voters count toward quorums; learners only receive the log. */
public record ConfState(List<Long> voters, List<Long> learners) {
  public ConfState {
    voters = List.copyOf(voters);
    learners = List.copyOf(learners);
  }

  public static ConfState of(long... voters) {
    return new ConfState(java.util.Arrays.stream(voters).boxed().toList(), List.of());
  }
}
