package kubelab.container;

/**
 * Resource limits of a container, in kernel units. Zero (or null) means "not set".
 *
 * @param memory      bytes ({@code --memory})
 * @param memorySwap  memory plus swap, bytes ({@code --memory-swap}); -1 is unlimited swap; 0
 *                    with a memory limit means twice the memory limit, as Docker does
 * @param cpuQuotaUs  CFS quota per {@link Params#CPU_PERIOD_US} ({@code --cpus 1.5} is 150000)
 * @param cpuShares   relative weight, cgroup v1 scale (1024 = default; {@code --cpu-shares})
 * @param cpusetCpus  {@code --cpuset-cpus}, e.g. "0-1,3"
 * @param cpusetMems  {@code --cpuset-mems}
 * @param pidsLimit   maximum number of tasks ({@code --pids-limit}); -1 unlimited
 */
public record Resources(long memory, long memorySwap, long cpuQuotaUs, long cpuShares, String cpusetCpus,
                        String cpusetMems, long pidsLimit) {
  public static final Resources NONE = new Resources(0, 0, 0, 0, null, null, 0);

  public boolean any() {
    return memory != 0 || memorySwap != 0 || cpuQuotaUs != 0 || cpuShares != 0 || cpusetCpus != null
        || cpusetMems != null || pidsLimit != 0;
  }
}
