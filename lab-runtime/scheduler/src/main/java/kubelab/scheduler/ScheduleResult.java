package kubelab.scheduler;

/**
 * The outcome of one successful scheduling algorithm run (Kubernetes' ScheduleResult).
 *
 * @param node the chosen node
 * @param evaluatedNodes nodes Filter ran on (feasible plus rejected)
 * @param feasibleNodes nodes that passed Filter and were scored
 */
public record ScheduleResult(String node, int evaluatedNodes, int feasibleNodes) {}
