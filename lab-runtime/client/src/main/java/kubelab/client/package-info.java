/**
 * KubeLab's Java client for the Kubernetes API: what client-go is to kube-scheduler, kubelet and
 * the controllers. Everything above the API server is built on it, so the pod-creation flow runs
 * through the API exactly as in Kubernetes.
 *
 * <h2>Layers, bottom up</h2>
 * <ol>
 *   <li><b>REST</b> ({@code kubelab.client}): {@link kubelab.client.KubeConfig} →
 *       {@link kubelab.client.ClientConfig} → {@link kubelab.client.KubeClient}, which hands out
 *       typed {@link kubelab.client.ResourceClient}s ({@code client.pods("default").get("web")}).
 *       JSON over HTTP/1.1 with keep-alive (JDK java.net.http), TLS with the cluster CA, bearer
 *       tokens or client certificates, a QPS/burst token bucket in front of every request, Status
 *       errors as {@link kubelab.client.ApiException} subclasses, and
 *       {@link kubelab.client.Watch} streams of typed events with bookmarks.
 *   <li><b>Informers</b> ({@code kubelab.client.informer}): Reflector (list, then watch; relist on
 *       410) → DeltaFifo → Indexer (the local cache) → event handlers; shared per resource by a
 *       SharedInformerFactory; read through Listers.
 *   <li><b>Work queue</b> ({@code kubelab.client.workqueue}): keys to reconcile, deduplicated, one
 *       worker per key, retried with per-item exponential back-off under a global token bucket.
 *   <li><b>Leader election</b> ({@code kubelab.client.leaderelection}) through Leases, and
 *       <b>events</b> ({@code kubelab.client.events}) with client-go's aggregation of repeats.
 * </ol>
 *
 * <h2>A controller, end to end</h2>
 * <pre>{@code
 * KubeClient client = KubeClient.fromKubeconfig(Path.of(System.getenv("KUBECONFIG")));
 * SharedInformerFactory factory = new SharedInformerFactory(client, Duration.ofMinutes(10));
 * SharedIndexInformer<Pod> pods = factory.pods();
 * RateLimitingQueue<String> queue = RateLimitingQueue.withDefaults("pods", Clock.systemUTC());
 * pods.addEventHandler(new ResourceEventHandler<>() {
 *   public void onAdd(Pod p, boolean initial) { queue.add(p.key()); }
 *   public void onUpdate(Pod o, Pod n) { queue.add(n.key()); }
 *   public void onDelete(Pod p, boolean unknown) { queue.add(p.key()); }
 * });
 * factory.start();
 * factory.waitForCacheSync(Duration.ofSeconds(30));
 * for (String key; (key = queue.get()) != null; ) {
 *   try {
 *     Pod cached = pods.indexer().get(key);   // shared: read, never mutate
 *     reconcile(key, cached);
 *     queue.forget(key);
 *   } catch (RuntimeException e) {
 *     queue.addRateLimited(key);
 *   } finally {
 *     queue.done(key);
 *   }
 * }
 * }</pre>
 *
 * <h2>Rules that hold everywhere</h2>
 * <ul>
 *   <li>Objects from a cache (Indexer, Lister, event handlers) are shared: never mutate them.
 *       Objects returned by a ResourceClient are fresh and belong to the caller.
 *   <li>Time comes from an injected {@link java.time.Clock} (tests use testkit's FakeClock), and
 *       waiting goes through a {@link kubelab.client.flowcontrol.Sleeper}.
 *   <li>Tunables live in {@link kubelab.client.Params}, with client-go's defaults.
 * </ul>
 */
package kubelab.client;
