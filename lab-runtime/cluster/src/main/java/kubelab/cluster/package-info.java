/**
 * Wiring of the embedded cluster: a 3-member Raft store, the API server, the scheduler (and, on
 * the roadmap, controllers and kubelets) in one JVM, started and stopped by {@code lab cluster}.
 * Components talk to each other only through the API, as in Kubernetes; this package only starts
 * them and hands each its client.
 */
package kubelab.cluster;
