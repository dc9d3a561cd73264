package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * Score (the old "priorities"): ranks a feasible node. Called for many nodes in parallel.
 *
 * <p>After every node is scored, {@link #normalizeScore} may rescale the raw scores so that each
 * lands in [0, 100] (Kubernetes' MinNodeScore..MaxNodeScore); the framework then multiplies by the
 * plugin's weight from the profile and sums over plugins. The highest total wins, ties broken at
 * random. (The seeds' priorities scored 0–10; since v1.19 each plugin scores 0–100.)
 *
 * <p>A plugin that cannot score throws {@link IllegalStateException}; the framework turns that
 * into an ERROR status for the cycle.
 */
public interface ScorePlugin extends Plugin {
  long score(CycleState state, Pod pod, NodeInfo node);

  /** NormalizeScore: rescales {@code scores} in place. The default leaves them unchanged. */
  default void normalizeScore(CycleState state, Pod pod, NodeScoreList scores) {}

  /** Whether {@link #normalizeScore} does anything (the explanation shows raw vs normalized). */
  default boolean normalizes() {
    return false;
  }
}
