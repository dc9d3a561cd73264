package kubelab.apiserver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl (1.32) against the API server: every test asserts what kubectl prints, which
 * is what a learner sees. One server for the class; each test uses its own namespace.
 */
class KubectlEndToEndTest {
  static TestApiServer api;
  static Kubectl kubectl;
  static Kubectl learner;

  @BeforeAll
  static void start() throws Exception {
    Requires.command("kubectl");
    api = TestApiServer.builder().user("learner").start();
    Path home = Files.createDirectories(api.directory().resolve("home"));
    kubectl = new Kubectl(api.kubeconfig(), home);
    // The learner's kubeconfig: same server, a user bound to the read-only kubelab:learner role.
    learner = new Kubectl(api.kubeconfig("learner"), home);
  }

  @AfterAll
  static void stop() {
    if (api != null) api.close();
  }

  private static String ns(String name) {
    kubectl.run("create", "namespace", name).ok();
    return name;
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: nginx
              image: nginx:1.25
              ports:
              - containerPort: 80
            - name: sidecar
              image: busybox
      """;

  @Test
  void applyCreatesThenConfiguresThenReportsUnchanged() {
    String ns = ns("apply");
    assertEquals("deployment.apps/web created\n", kubectl.input(DEPLOYMENT, "-n", ns, "apply", "-f", "-").ok().out());
    String changed = DEPLOYMENT.replace("replicas: 2", "replicas: 3").replace("nginx:1.25", "nginx:1.26")
        .replace("      - name: sidecar\n        image: busybox\n", "");
    assertEquals("deployment.apps/web configured\n", kubectl.input(changed, "-n", ns, "apply", "-f", "-").ok().out());
    assertEquals("deployment.apps/web unchanged\n", kubectl.input(changed, "-n", ns, "apply", "-f", "-").ok().out());
    String got = kubectl.run("-n", ns, "get", "deploy", "web", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].image} {.metadata.generation}")
        .ok().out();
    // The three-way strategic merge removed the sidecar container by name and kept nginx.
    assertEquals("3 nginx nginx:1.26 2", got);
  }

  @Test
  void getShowsTheColumnsOfARealClusterWideYamlJsonpathAndSelectors() {
    String ns = ns("get");
    kubectl.run("-n", ns, "run", "web", "--image=nginx", "--labels=app=web,tier=front").ok();
    kubectl.run("-n", ns, "run", "db", "--image=postgres:16", "--labels=app=db").ok();
    String table = kubectl.run("-n", ns, "get", "pods").ok().out();
    assertTrue(table.startsWith("NAME   READY   STATUS    RESTARTS   AGE\n"), table);
    assertTrue(table.matches("(?s).*\\nweb    0/1     Pending   0          \\d+s\\n.*"), table);
    String wide = kubectl.run("-n", ns, "get", "pods", "-o", "wide").ok().out();
    assertTrue(wide.startsWith("NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n"), wide);
    String yaml = kubectl.run("-n", ns, "get", "pod", "web", "-o", "yaml").ok().out();
    assertTrue(yaml.contains("imagePullPolicy: Always"), "no tag means Always: " + yaml);
    assertTrue(yaml.contains("restartPolicy: Always") && yaml.contains("terminationGracePeriodSeconds: 30")
        && yaml.contains("dnsPolicy: ClusterFirst") && yaml.contains("schedulerName: default-scheduler"), yaml);
    assertTrue(yaml.contains("key: node.kubernetes.io/not-ready") && yaml.contains("tolerationSeconds: 300"), yaml);
    assertTrue(yaml.contains("qosClass: BestEffort") && yaml.contains("phase: Pending"), yaml);
    assertEquals("IfNotPresent", kubectl.run("-n", ns, "get", "pod", "db", "-o",
        "jsonpath={.spec.containers[0].imagePullPolicy}").ok().out(), "a tag other than latest means IfNotPresent");
    assertEquals("web\n", kubectl.run("-n", ns, "get", "pods", "-l", "tier=front", "-o", "name").ok().out()
        .replace("pod/", ""));
    assertEquals("db web", kubectl.run("-n", ns, "get", "pods", "-l", "app in (web,db)", "-o",
        "jsonpath={.items[*].metadata.name}").ok().out());
    assertEquals("No resources found in get namespace.\n", kubectl.run("-n", ns, "get", "pods", "-l", "app=nope").both());
  }

  @Test
  void getWatchPrintsNewPodsAsTheyAppear() throws Exception {
    String ns = ns("watch");
    Path out = api.directory().resolve("watch.txt");
    Process w = kubectl.start(out, "-n", ns, "get", "pods", "-w");
    try {
      Thread.sleep(1500); // let the watch start (kubectl prints nothing for an empty namespace)
      kubectl.run("-n", ns, "run", "late", "--image=busybox").ok();
      waitFor(out, "late   0/1     Pending");
    } finally {
      w.destroy();
      w.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void waitFor(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) return;
      Thread.sleep(50);
    }
    throw new AssertionError("'" + text + "' never appeared in: " + (Files.exists(file) ? Files.readString(file) : "(nothing)"));
  }

  @Test
  void describeShowsTheObjectAndItsEvents() {
    String ns = ns("describe");
    kubectl.run("-n", ns, "run", "web", "--image=nginx").ok();
    String uid = kubectl.run("-n", ns, "get", "pod", "web", "-o", "jsonpath={.metadata.uid}").ok().out();
    String event = """
        apiVersion: v1
        kind: Event
        metadata: {name: web.1}
        involvedObject: {apiVersion: v1, kind: Pod, name: web, namespace: describe, uid: UID}
        reason: Scheduled
        message: Successfully assigned describe/web to node-1
        type: Normal
        source: {component: default-scheduler}
        count: 1
        """.replace("UID", uid);
    kubectl.input(event, "-n", ns, "create", "-f", "-").ok();
    String d = kubectl.run("-n", ns, "describe", "pod", "web").ok().out();
    assertTrue(d.contains("Name:             web") && d.contains("Namespace:        describe"), d);
    assertTrue(d.contains("QoS Class:                   BestEffort"), d);
    assertTrue(d.matches("(?s).*Normal  Scheduled  .*default-scheduler  Successfully assigned describe/web to node-1.*"), d);
    String events = kubectl.run("-n", ns, "get", "events").ok().out();
    assertTrue(events.startsWith("LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"), events);
  }

  @Test
  void labelAnnotateAndTheThreePatchTypes() {
    String ns = ns("patch");
    kubectl.input(DEPLOYMENT, "-n", ns, "apply", "-f", "-").ok();
    assertEquals("deployment.apps/web labeled\n", kubectl.run("-n", ns, "label", "deploy", "web", "tier=front").ok().out());
    assertEquals("deployment.apps/web annotated\n", kubectl.run("-n", ns, "annotate", "deploy", "web", "owner=alice").ok().out());
    assertEquals("deployment.apps/web patched\n", kubectl.run("-n", ns, "patch", "deploy", "web", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}]}}}}").ok().out());
    assertEquals("deployment.apps/web patched\n", kubectl.run("-n", ns, "patch", "deploy", "web", "--type=merge", "-p",
        "{\"metadata\":{\"labels\":{\"team\":\"blue\"}}}").ok().out());
    assertEquals("deployment.apps/web patched\n", kubectl.run("-n", ns, "patch", "deploy", "web", "--type=json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]").ok().out());
    String r = kubectl.run("-n", ns, "get", "deploy", "web", "-o",
        "jsonpath={.metadata.labels.tier},{.metadata.labels.team},{.metadata.annotations.owner},{.spec.replicas},"
            + "{.spec.template.spec.containers[*].name},{.spec.template.spec.containers[0].env[0].name}").ok().out();
    // The strategic patch merged into container "nginx" by name and kept "sidecar".
    assertEquals("front,blue,alice,4,nginx sidecar,A", r);
    Kubectl.Result bad = kubectl.run("-n", ns, "patch", "deploy", "web", "--type=json", "-p",
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("testing value /spec/replicas failed"), bad.err());
  }

  @Test
  void scaleWaitAndDelete() {
    String ns = ns("scale");
    kubectl.input(DEPLOYMENT, "-n", ns, "apply", "-f", "-").ok();
    assertEquals("deployment.apps/web scaled\n", kubectl.run("-n", ns, "scale", "deploy", "web", "--replicas=5").ok().out());
    assertEquals("deployment.apps/web condition met\n", kubectl.run("-n", ns, "wait", "deploy/web",
        "--for=jsonpath={.spec.replicas}=5", "--timeout=10s").ok().out());
    Kubectl.Result stale = kubectl.run("-n", ns, "scale", "deploy", "web", "--current-replicas=2", "--replicas=3");
    assertEquals(1, stale.exit());
    assertTrue(stale.err().contains("Expected replicas to be 2, was 5"), stale.err());
    kubectl.run("-n", ns, "run", "p", "--image=busybox").ok();
    assertEquals("pod \"p\" deleted\n", kubectl.run("-n", ns, "delete", "pod", "p").ok().out());
    assertEquals("Error from server (NotFound): pods \"p\" not found\n", kubectl.run("-n", ns, "get", "pod", "p").err());
    kubectl.run("-n", ns, "run", "q", "--image=busybox").ok();
    assertEquals(0, kubectl.run("-n", ns, "delete", "pod", "q", "--wait=false").exit());
    assertEquals("", kubectl.run("-n", ns, "wait", "pod/q", "--for=delete", "--timeout=10s").err().replace(
        "Error from server (NotFound): pods \"q\" not found\n", ""));
  }

  @Test
  void createCommandsThatSendProtobufWork() {
    String ns = ns("create");
    assertEquals("deployment.apps/d created\n", kubectl.run("-n", ns, "create", "deployment", "d", "--image=busybox:1.36",
        "--replicas=2", "--port=8080").ok().out());
    assertEquals("2 8080 IfNotPresent", kubectl.run("-n", ns, "get", "deploy", "d", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort} "
            + "{.spec.template.spec.containers[0].imagePullPolicy}").ok().out());
    assertEquals("configmap/cfg created\n", kubectl.run("-n", ns, "create", "configmap", "cfg", "--from-literal=a=1").ok().out());
    assertEquals("secret/s created\n", kubectl.run("-n", ns, "create", "secret", "generic", "s", "--from-literal=pw=hunter2").ok().out());
    assertEquals("aHVudGVyMg==", kubectl.run("-n", ns, "get", "secret", "s", "-o", "jsonpath={.data.pw}").ok().out());
    assertEquals("service/web created\n", kubectl.run("-n", ns, "create", "service", "nodeport", "web", "--tcp=80:8080").ok().out());
    String svc = kubectl.run("-n", ns, "get", "svc", "web").ok().out();
    assertTrue(svc.matches("(?s)NAME   TYPE       CLUSTER-IP +EXTERNAL-IP   PORT\\(S\\)        AGE\\n"
        + "web    NodePort   10\\.96\\.\\d+\\.\\d+ +<none>        80:3\\d{4}/TCP   \\d+s\\n"), svc);
    Kubectl.Result dup = kubectl.run("-n", ns, "create", "configmap", "cfg", "--from-literal=a=1");
    assertEquals("error: failed to create configmap: configmaps \"cfg\" already exists\n", dup.err());
  }

  @Test
  void apiResourcesAndExplainComeFromDiscoveryAndOpenApi() {
    String ar = kubectl.run("api-resources").ok().out();
    assertTrue(ar.startsWith("NAME "), ar);
    assertTrue(ar.matches("(?s).*\\npods +po +v1 +true +Pod\\n.*"), ar);
    assertTrue(ar.matches("(?s).*\\ndeployments +deploy +apps/v1 +true +Deployment\\n.*"), ar);
    assertTrue(ar.matches("(?s).*\\nnodes +no +v1 +false +Node\\n.*"), ar);
    String ex = kubectl.run("explain", "pod.spec.containers.image").ok().out();
    assertTrue(ex.contains("FIELD: image <string>"), ex);
    String dep = kubectl.run("explain", "deployment.spec.replicas").ok().out();
    assertTrue(dep.contains("GROUP:      apps") && dep.contains("FIELD: replicas <integer>"), dep);
  }

  @Test
  void authCanIFollowsRbacAndImpersonation() {
    assertEquals("yes\n", kubectl.run("auth", "can-i", "create", "pods").ok().out());
    assertEquals("yes\n", learner.run("auth", "can-i", "list", "pods", "-n", "default").ok().out());
    Kubectl.Result no = learner.run("auth", "can-i", "create", "pods");
    assertEquals("no\n", no.out());
    assertEquals(1, no.exit());
    assertEquals("no\n", learner.run("auth", "can-i", "get", "secrets").out(), "the learner role leaves out Secrets");
    assertEquals("no\n", kubectl.run("auth", "can-i", "create", "deployments", "--as=learner").out());
    Kubectl.Result forbidden = learner.run("delete", "namespace", "default");
    assertEquals("Error from server (Forbidden): namespaces \"default\" is forbidden: User \"learner\" cannot delete "
        + "resource \"namespaces\" in API group \"\" at the cluster scope\n", forbidden.err());
    assertTrue(learner.run("auth", "whoami").ok().out().contains("learner"));
  }

  @Test
  void errorsReadAsKubernetesErrors() {
    String ns = ns("errors");
    assertEquals("Error from server (NotFound): pods \"nope\" not found\n", kubectl.run("-n", ns, "get", "pod", "nope").err());
    String bad = """
        apiVersion: v1
        kind: Pod
        metadata: {name: bad}
        spec:
          restartPolicy: Sometimes
          containers:
          - name: c
        """;
    Kubectl.Result r = kubectl.input(bad, "-n", ns, "apply", "-f", "-");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("The Pod \"bad\" is invalid: \n* spec.containers[0].image: Required value\n"
        + "* spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""), r.err());
    Kubectl.Result typo = kubectl.input(bad.replace("- name: c", "- name: c\n    imagee: nginx").replace("Sometimes", "Never"),
        "-n", ns, "apply", "-f", "-");
    assertTrue(typo.err().contains("strict decoding error: unknown field \"spec.containers[0].imagee\""), typo.err());
  }
}
