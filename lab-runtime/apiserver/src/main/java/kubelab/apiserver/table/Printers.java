package kubelab.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.apiserver.rest.ScaleSubresource;

/**
 * The columns {@code kubectl get} prints for each kind, computed on the server as kube-apiserver
 * 1.32's printers do (pkg/printers/internalversion): the same column names, types, priorities
 * (priority 1 = only with {@code -o wide}) and cell rules, e.g. a pod's STATUS is the most
 * telling reason (CrashLoopBackOff, Init:0/1, Completed, Terminating), not its phase. Cells are
 * always computed for the wide form; kubectl hides priority 1 columns itself.
 */
final class Printers {
  private Printers() {}

  private static final String NAME_DOC = "Name must be unique within a namespace.";
  private static final String CONTAINERS_DOC = "Names of each container in the template.";
  private static final String IMAGES_DOC = "Images referenced by each container in the template.";

  static void register(Map<String, TableConvertor> m) {
    m.put("/pods", pods());
    m.put("/nodes", nodes());
    m.put("/services", services());
    m.put("/endpoints", new Columns().name(NAME_DOC)
        .add("Endpoints", "string", "", "The endpoints of the service.", 0, (o, now) -> endpoints(o))
        .age());
    m.put("/events", events());
    m.put("/namespaces", new Columns().name(NAME_DOC)
        .add("Status", "string", "", "The status of the namespace", 0, (o, now) -> text(o, "status", "phase"))
        .age());
    m.put("/configmaps", new Columns().name(NAME_DOC)
        .add("Data", "string", "", "The number of keys.", 0,
            (o, now) -> (long) (o.path("data").size() + o.path("binaryData").size()))
        .age());
    m.put("/secrets", new Columns().name(NAME_DOC)
        .add("Type", "string", "", "The type of the secret.", 0, (o, now) -> text(o, "type"))
        .add("Data", "string", "", "The number of keys.", 0, (o, now) -> (long) o.path("data").size())
        .age());
    m.put("/serviceaccounts", new Columns().name(NAME_DOC)
        .add("Secrets", "string", "", "The number of secrets.", 0, (o, now) -> (long) o.path("secrets").size())
        .age());
    m.put("/resourcequotas", new Columns().name(NAME_DOC)
        .add("Request", "string", "", "Request represents a minimum amount of cpu/memory that a container may consume.", 0,
            (o, now) -> quota(o, false))
        .add("Limit", "string", "", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.", 0,
            (o, now) -> quota(o, true))
        .age());
    m.put("apps/deployments", new Columns().name(NAME_DOC)
        .add("Ready", "string", "", "Number of the pod with ready state", 0,
            (o, now) -> num(o, "status", "readyReplicas") + "/" + o.path("spec").path("replicas").asLong(1))
        .add("Up-to-date", "string", "", "Total number of pods with the desired template.", 0, (o, now) -> num(o, "status", "updatedReplicas"))
        .add("Available", "string", "", "Total number of available pods.", 0, (o, now) -> num(o, "status", "availableReplicas"))
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "image"))
        .add("Selector", "string", "", "Label query over pods.", 1, (o, now) -> selector(o.path("spec").path("selector"), false)));
    m.put("apps/replicasets", new Columns().name(NAME_DOC)
        .add("Desired", "integer", "", "Desired replicas.", 0, (o, now) -> o.path("spec").path("replicas").asLong(1))
        .add("Current", "integer", "", "Current replicas.", 0, (o, now) -> num(o, "status", "replicas"))
        .add("Ready", "integer", "", "Ready replicas.", 0, (o, now) -> num(o, "status", "readyReplicas"))
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "image"))
        .add("Selector", "string", "", "Label query over pods.", 1, (o, now) -> selector(o.path("spec").path("selector"), true)));
    m.put("apps/daemonsets", new Columns().name(NAME_DOC)
        .add("Desired", "integer", "", "Desired pods.", 0, (o, now) -> num(o, "status", "desiredNumberScheduled"))
        .add("Current", "integer", "", "Scheduled pods.", 0, (o, now) -> num(o, "status", "currentNumberScheduled"))
        .add("Ready", "integer", "", "Ready pods.", 0, (o, now) -> num(o, "status", "numberReady"))
        .add("Up-to-date", "integer", "", "Updated pods.", 0, (o, now) -> num(o, "status", "updatedNumberScheduled"))
        .add("Available", "integer", "", "Available pods.", 0, (o, now) -> num(o, "status", "numberAvailable"))
        .add("Node Selector", "string", "", "The template's node selector.", 0,
            (o, now) -> labels(o.path("spec").path("template").path("spec").path("nodeSelector")))
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "image"))
        .add("Selector", "string", "", "Label query over pods.", 1, (o, now) -> selector(o.path("spec").path("selector"), true)));
    m.put("apps/statefulsets", new Columns().name(NAME_DOC)
        .add("Ready", "string", "", "Number of the pod with ready state", 0,
            (o, now) -> num(o, "status", "readyReplicas") + "/" + o.path("spec").path("replicas").asLong(1))
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "image")));
    m.put("apps/controllerrevisions", new Columns().name(NAME_DOC)
        .add("Controller", "string", "", "Controller of the object", 0, (o, now) -> controller(o))
        .add("Revision", "string", "", "The revision number.", 0, (o, now) -> o.path("revision").asLong())
        .age());
    m.put("batch/jobs", jobs());
    m.put("batch/cronjobs", new Columns().name(NAME_DOC)
        .add("Schedule", "string", "", "The schedule in Cron format.", 0, (o, now) -> text(o, "spec", "schedule"))
        .add("Timezone", "string", "", "The time zone of the schedule.", 0, (o, now) -> orNone(text(o, "spec", "timeZone")))
        .add("Suspend", "boolean", "", "Whether runs are suspended.", 0, (o, now) -> boolPtr(o.path("spec").path("suspend")))
        .add("Active", "integer", "", "Running jobs.", 0, (o, now) -> (long) o.path("status").path("active").size())
        .add("Last Schedule", "string", "", "When a job was last scheduled.", 0,
            (o, now) -> o.path("status").hasNonNull("lastScheduleTime")
                ? Ages.since(o.path("status").path("lastScheduleTime").asText(), now) : "<none>")
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1,
            (o, now) -> containers(o.path("spec").path("jobTemplate").path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1,
            (o, now) -> containers(o.path("spec").path("jobTemplate").path("spec").path("template"), "image"))
        .add("Selector", "string", "", "Label query over pods.", 1,
            (o, now) -> selector(o.path("spec").path("jobTemplate").path("spec").path("selector"), true)));
    m.put("coordination.k8s.io/leases", new Columns().name(NAME_DOC)
        .add("Holder", "string", "", "The current holder of the lease.", 0, (o, now) -> text(o, "spec", "holderIdentity"))
        .age());
    m.put("scheduling.k8s.io/priorityclasses", new Columns().name(NAME_DOC)
        .add("Value", "integer", "", "The priority value.", 0, (o, now) -> o.path("value").asLong())
        .add("Global-Default", "boolean", "", "Whether this is the default class.", 0, (o, now) -> o.path("globalDefault").asBoolean(false))
        .age()
        .add("PreemptionPolicy", "string", "", "PreemptLowerPriority or Never.", 0, (o, now) -> text(o, "preemptionPolicy")));
    m.put("policy/poddisruptionbudgets", new Columns().name(NAME_DOC)
        .add("Min Available", "string", "", "The minimum number of pods that must be available.", 0,
            (o, now) -> o.path("spec").hasNonNull("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A")
        .add("Max Unavailable", "string", "", "The maximum number of pods that may be unavailable.", 0,
            (o, now) -> o.path("spec").hasNonNull("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A")
        .add("Allowed Disruptions", "integer", "", "Calculated number of pods that may be disrupted at this time.", 0,
            (o, now) -> num(o, "status", "disruptionsAllowed"))
        .age());
    Columns rb = new Columns().name(NAME_DOC)
        .add("Role", "string", "", "The role bound.", 0,
            (o, now) -> o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText())
        .age()
        .add("Users", "string", "", "Users in the binding", 1, (o, now) -> subjects(o, "User"))
        .add("Groups", "string", "", "Groups in the binding", 1, (o, now) -> subjects(o, "Group"))
        .add("ServiceAccounts", "string", "", "ServiceAccounts in the binding", 1, (o, now) -> subjects(o, "ServiceAccount"));
    m.put("rbac.authorization.k8s.io/rolebindings", rb);
    m.put("rbac.authorization.k8s.io/clusterrolebindings", rb);
    m.put("discovery.k8s.io/endpointslices", new Columns().name(NAME_DOC)
        .add("AddressType", "string", "", "IPv4, IPv6 or FQDN.", 0, (o, now) -> text(o, "addressType"))
        .add("Ports", "string", "", "The ports.", 0, (o, now) -> slicePorts(o))
        .add("Endpoints", "string", "", "The addresses.", 0, (o, now) -> sliceEndpoints(o))
        .age());
    m.put("networking.k8s.io/networkpolicies", new Columns().name(NAME_DOC)
        .add("Pod-Selector", "string", "", "The pods the policy applies to.", 0,
            (o, now) -> selector(o.path("spec").path("podSelector"), true))
        .age());
  }

  // --- pods --------------------------------------------------------------------------------------

  private static TableConvertor pods() {
    return new Columns().name(NAME_DOC)
        .add("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0,
            (o, now) -> PodStatusColumn.of(o, now).ready())
        .add("Status", "string", "", "The aggregate status of the containers in this pod.", 0,
            (o, now) -> PodStatusColumn.of(o, now).reason())
        .add("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", 0,
            (o, now) -> PodStatusColumn.of(o, now).restarts())
        .age()
        .add("IP", "string", "", "The IP address of the pod.", 1, (o, now) -> {
          String ip = o.path("status").path("podIPs").path(0).path("ip").asText("");
          return ip.isEmpty() ? "<none>" : ip;
        })
        .add("Node", "string", "", "The node the pod is bound to.", 1, (o, now) -> orNone(text(o, "spec", "nodeName")))
        .add("Nominated Node", "string", "", "The node the scheduler nominated after preempting.", 1,
            (o, now) -> orNone(text(o, "status", "nominatedNodeName")))
        .add("Readiness Gates", "string", "", "Extra readiness conditions.", 1, (o, now) -> readinessGates(o));
  }

  private static String readinessGates(JsonNode pod) {
    JsonNode gates = pod.path("spec").path("readinessGates");
    if (gates.size() == 0) return "<none>";
    int ok = 0;
    for (JsonNode g : gates) {
      String type = g.path("conditionType").asText();
      for (JsonNode c : pod.path("status").path("conditions")) {
        if (type.equals(c.path("type").asText())) {
          if ("True".equals(c.path("status").asText())) ok++;
          break;
        }
      }
    }
    return ok + "/" + gates.size();
  }

  // --- nodes -------------------------------------------------------------------------------------

  private static TableConvertor nodes() {
    return new Columns().name(NAME_DOC)
        .add("Status", "string", "", "The status of the node", 0, (o, now) -> nodeStatus(o))
        .add("Roles", "string", "", "The roles of the node", 0, (o, now) -> nodeRoles(o))
        .age()
        .add("Version", "string", "", "Kubelet version reported by the node.", 0,
            (o, now) -> text(o, "status", "nodeInfo", "kubeletVersion"))
        .add("Internal-IP", "string", "", "The node's internal address.", 1, (o, now) -> nodeAddress(o, "InternalIP"))
        .add("External-IP", "string", "", "The node's external address.", 1, (o, now) -> nodeAddress(o, "ExternalIP"))
        .add("OS-Image", "string", "", "OS image reported by the node.", 1,
            (o, now) -> orUnknown(text(o, "status", "nodeInfo", "osImage")))
        .add("Kernel-Version", "string", "", "Kernel version reported by the node.", 1,
            (o, now) -> orUnknown(text(o, "status", "nodeInfo", "kernelVersion")))
        .add("Container-Runtime", "string", "", "Container runtime version reported by the node.", 1,
            (o, now) -> orUnknown(text(o, "status", "nodeInfo", "containerRuntimeVersion")));
  }

  static String nodeStatus(JsonNode node) {
    List<String> status = new ArrayList<>();
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        status.add("True".equals(c.path("status").asText()) ? "Ready" : "NotReady");
        break;
      }
    }
    if (status.isEmpty()) status.add("Unknown");
    if (node.path("spec").path("unschedulable").asBoolean(false)) status.add("SchedulingDisabled");
    return String.join(",", status);
  }

  static String nodeRoles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").path("labels").fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      if (k.startsWith("node-role.kubernetes.io/")) {
        String role = k.substring("node-role.kubernetes.io/".length());
        if (!role.isEmpty()) roles.add(role);
      } else if (k.equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
        roles.add(e.getValue().asText());
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String nodeAddress(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (type.equals(a.path("type").asText())) return a.path("address").asText();
    }
    return "<none>";
  }

  // --- services and endpoints --------------------------------------------------------------------

  private static TableConvertor services() {
    return new Columns().name(NAME_DOC)
        .add("Type", "string", "", "ClusterIP, NodePort, LoadBalancer or ExternalName.", 0, (o, now) -> text(o, "spec", "type"))
        .add("Cluster-IP", "string", "", "The virtual IP of the service.", 0, (o, now) -> {
          String ip = o.path("spec").path("clusterIPs").path(0).asText("");
          return ip.isEmpty() ? "<none>" : ip;
        })
        .add("External-IP", "string", "", "External addresses.", 0, (o, now) -> externalIp(o))
        .add("Port(s)", "string", "", "The ports of the service.", 0, (o, now) -> {
          List<String> pieces = new ArrayList<>();
          for (JsonNode p : o.path("spec").path("ports")) {
            long port = p.path("port").asLong();
            long nodePort = p.path("nodePort").asLong(0);
            String proto = p.path("protocol").asText("");
            pieces.add(nodePort > 0 ? port + ":" + nodePort + "/" + proto : port + "/" + proto);
          }
          return pieces.isEmpty() ? "<none>" : String.join(",", pieces);
        })
        .age()
        .add("Selector", "string", "", "The pods the service routes to.", 1, (o, now) -> labels(o.path("spec").path("selector")));
  }

  private static String externalIp(JsonNode svc) {
    List<String> ext = new ArrayList<>();
    for (JsonNode x : svc.path("spec").path("externalIPs")) ext.add(x.asText());
    switch (svc.path("spec").path("type").asText("")) {
      case "ClusterIP", "NodePort" -> {
        return ext.isEmpty() ? "<none>" : String.join(",", ext);
      }
      case "LoadBalancer" -> {
        TreeSet<String> lb = new TreeSet<>();
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) {
          if (!i.path("ip").asText("").isEmpty()) lb.add(i.path("ip").asText());
          else if (!i.path("hostname").asText("").isEmpty()) lb.add(i.path("hostname").asText());
        }
        List<String> all = new ArrayList<>(lb);
        all.addAll(ext);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> {
        return text(svc, "spec", "externalName");
      }
      default -> {
        return "<unknown>";
      }
    }
  }

  private static String endpoints(JsonNode ep) {
    JsonNode subsets = ep.path("subsets");
    if (subsets.size() == 0) return "<none>";
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    int count = 0;
    for (JsonNode ss : subsets) {
      if (ss.path("ports").size() == 0) {
        count += ss.path("addresses").size();
        for (JsonNode a : ss.path("addresses")) {
          if (list.size() == max) {
            more = true;
            break;
          }
          list.add(a.path("ip").asText());
        }
        continue;
      }
      for (JsonNode p : ss.path("ports")) {
        count += ss.path("addresses").size();
        for (JsonNode a : ss.path("addresses")) {
          if (list.size() == max) {
            more = true;
            break;
          }
          String ip = a.path("ip").asText();
          list.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.path("port").asLong());
        }
      }
    }
    String ret = String.join(",", list);
    return more ? ret + " + " + (count - max) + " more..." : ret;
  }

  private static String slicePorts(JsonNode s) {
    JsonNode ports = s.path("ports");
    if (ports.size() == 0) return "<unset>";
    List<String> list = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      if (i == 3) return String.join(",", list) + " + " + (ports.size() - 3) + " more...";
      JsonNode p = ports.get(i).path("port");
      list.add(p.isMissingNode() || p.isNull() ? "<unset>" : p.asText());
    }
    return String.join(",", list);
  }

  private static String sliceEndpoints(JsonNode s) {
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode e : s.path("endpoints")) {
      for (JsonNode a : e.path("addresses")) {
        count++;
        if (list.size() < 3) list.add(a.asText());
      }
    }
    if (list.isEmpty()) return "<unset>";
    return count > 3 ? String.join(",", list) + " + " + (count - 3) + " more..." : String.join(",", list);
  }

  // --- events ------------------------------------------------------------------------------------

  private static TableConvertor events() {
    return new Columns()
        .add("Last Seen", "string", "", "When the event last happened.", 0, (o, now) -> eventLastSeen(o, now))
        .add("Type", "string", "", "Normal or Warning.", 0, (o, now) -> text(o, "type"))
        .add("Reason", "string", "", "Why the event happened.", 0, (o, now) -> text(o, "reason"))
        .add("Object", "string", "", "The object the event is about.", 0, (o, now) -> {
          String kind = o.path("involvedObject").path("kind").asText("").toLowerCase();
          String name = o.path("involvedObject").path("name").asText("");
          return name.isEmpty() ? kind : kind + "/" + name;
        })
        .add("Subobject", "string", "", "The part of the object (e.g. a container).", 1,
            (o, now) -> text(o, "involvedObject", "fieldPath"))
        .add("Source", "string", "", "The component that reported the event.", 1, (o, now) -> {
          String component = firstNonEmpty(text(o, "source", "component"), text(o, "reportingComponent"));
          String instance = firstNonEmpty(text(o, "source", "host"), text(o, "reportingInstance"));
          return instance.isEmpty() ? component : component + ", " + instance;
        })
        .add("Message", "string", "", "What happened.", 0, (o, now) -> text(o, "message").trim())
        .add("First Seen", "string", "", "When the event first happened.", 1, (o, now) -> eventFirstSeen(o, now))
        .add("Count", "string", "", "How many times it happened.", 1, (o, now) -> {
          if (o.path("series").isObject()) return o.path("series").path("count").asLong();
          long c = o.path("count").asLong(0);
          return c == 0 ? 1L : c;
        })
        .add("Name", "string", "name", NAME_DOC, 1, (o, now) -> text(o, "metadata", "name"));
  }

  private static String eventFirstSeen(JsonNode o, Instant now) {
    String first = text(o, "firstTimestamp");
    return first.isEmpty() ? Ages.since(text(o, "eventTime"), now) : Ages.since(first, now);
  }

  private static String eventLastSeen(JsonNode o, Instant now) {
    if (o.path("series").isObject()) return Ages.since(text(o, "series", "lastObservedTime"), now);
    String last = text(o, "lastTimestamp");
    return last.isEmpty() ? eventFirstSeen(o, now) : Ages.since(last, now);
  }

  // --- jobs --------------------------------------------------------------------------------------

  private static TableConvertor jobs() {
    return new Columns().name(NAME_DOC)
        .add("Status", "string", "", "Status of the job.", 0, (o, now) -> {
          if (jobCondition(o, "Complete")) return "Complete";
          if (jobCondition(o, "Failed")) return "Failed";
          if (o.path("metadata").hasNonNull("deletionTimestamp")) return "Terminating";
          if (jobCondition(o, "Suspended")) return "Suspended";
          if (jobCondition(o, "FailureTarget")) return "FailureTarget";
          return "Running";
        })
        .add("Completions", "string", "", "Successful pods out of the needed completions.", 0, (o, now) -> {
          long succeeded = o.path("status").path("succeeded").asLong(0);
          JsonNode comp = o.path("spec").path("completions");
          if (comp.isNumber()) return succeeded + "/" + comp.asLong();
          long par = o.path("spec").path("parallelism").asLong(0);
          return par > 1 ? succeeded + "/1 of " + par : succeeded + "/1";
        })
        .add("Duration", "string", "", "Time required to complete the job.", 0, (o, now) -> {
          String start = text(o, "status", "startTime");
          if (start.isEmpty()) return "";
          String end = text(o, "status", "completionTime");
          Instant s = Instant.parse(start);
          return Ages.human(java.time.Duration.between(s, end.isEmpty() ? now : Instant.parse(end)));
        })
        .age()
        .add("Containers", "string", "", CONTAINERS_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "name"))
        .add("Images", "string", "", IMAGES_DOC, 1, (o, now) -> containers(o.path("spec").path("template"), "image"))
        .add("Selector", "string", "", "Label query over pods.", 1, (o, now) -> selector(o.path("spec").path("selector"), true));
  }

  private static boolean jobCondition(JsonNode job, String type) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }

  // --- helpers -----------------------------------------------------------------------------------

  static String text(JsonNode o, String... path) {
    JsonNode n = o;
    for (String p : path) n = n.path(p);
    return n.isValueNode() ? n.asText("") : "";
  }

  private static long num(JsonNode o, String... path) {
    JsonNode n = o;
    for (String p : path) n = n.path(p);
    return n.asLong(0);
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  private static String boolPtr(JsonNode b) {
    if (b.isMissingNode() || b.isNull()) return "<unset>";
    return b.asBoolean() ? "True" : "False";
  }

  /** Container names or images of a pod template, comma-separated (layoutContainerCells). */
  private static String containers(JsonNode template, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : template.path("spec").path("containers")) out.add(c.path(field).asText(""));
    return String.join(",", out);
  }

  /** labels.FormatLabels: k=v pairs sorted by key, or {@code <none>}. */
  static String labels(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      sorted.put(e.getKey(), e.getValue().asText());
    }
    if (sorted.isEmpty()) return "<none>";
    List<String> out = new ArrayList<>();
    sorted.forEach((k, v) -> out.add(k + "=" + v));
    return String.join(",", out);
  }

  /** A label selector as a string; {@code noneIfEmpty}: metav1.FormatLabelSelector's {@code <none>}. */
  private static String selector(JsonNode sel, boolean noneIfEmpty) {
    String s = ScaleSubresource.selectorString(sel);
    return s.isEmpty() && noneIfEmpty ? "<none>" : s;
  }

  private static String subjects(JsonNode binding, String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      if (!kind.equals(s.path("kind").asText())) continue;
      if (kind.equals("ServiceAccount")) out.add(s.path("namespace").asText("") + "/" + s.path("name").asText());
      else out.add(s.path("name").asText());
    }
    return String.join(", ", out);
  }

  private static String quota(JsonNode q, boolean limits) {
    TreeMap<String, String> hard = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = q.path("status").path("hard").fields(); it.hasNext(); ) {
      var e = it.next();
      hard.put(e.getKey(), e.getValue().asText());
    }
    List<String> out = new ArrayList<>();
    for (var e : hard.entrySet()) {
      boolean isLimit = e.getKey().startsWith("limits.");
      if (isLimit != limits) continue;
      String used = q.path("status").path("used").path(e.getKey()).asText("0");
      out.add(e.getKey() + ": " + used + "/" + e.getValue());
    }
    return String.join(", ", out);
  }

  private static String controller(JsonNode o) {
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String av = ref.path("apiVersion").asText("");
        String group = av.contains("/") ? av.substring(0, av.indexOf('/')) : "";
        String kind = ref.path("kind").asText("").toLowerCase();
        return (group.isEmpty() ? kind : kind + "." + group) + "/" + ref.path("name").asText();
      }
    }
    return "<none>";
  }
}
