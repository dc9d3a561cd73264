package kubelab.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** kubectl's STATUS column is a reason, not the phase (curriculum C09, life.kubectl-status-vs-phase). */
class PodStatusColumnTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private static PodStatusColumn col(String pod) throws Exception {
    return PodStatusColumn.of(Json.MAPPER.readTree(pod.replace('\'', '"')), NOW);
  }

  private static String containers(String statuses) {
    return "{'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Running','containerStatuses':[" + statuses + "]}}";
  }

  @Test
  void pendingWithoutStatuses() throws Exception {
    PodStatusColumn c = col("{'spec':{'containers':[{'name':'a'},{'name':'b'}]},'status':{'phase':'Pending'}}");
    assertEquals("0/2", c.ready());
    assertEquals("Pending", c.reason());
    assertEquals("0", c.restarts());
  }

  @Test
  void runningAndReady() throws Exception {
    PodStatusColumn c = col("{'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
        + "'containerStatuses':[{'name':'a','ready':true,'restartCount':0,'state':{'running':{}}}]}}");
    assertEquals("1/1", c.ready());
    assertEquals("Running", c.reason());
  }

  @Test
  void crashLoopWithRestartsAgo() throws Exception {
    PodStatusColumn c = col(containers("{'name':'a','ready':false,'restartCount':4,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
        + "'lastState':{'terminated':{'exitCode':1,'finishedAt':'2025-01-01T11:59:20Z'}}}"));
    assertEquals("CrashLoopBackOff", c.reason());
    assertEquals("4 (40s ago)", c.restarts());
  }

  @Test
  void terminatedReasonsAndExitCodes() throws Exception {
    assertEquals("Completed", col(containers("{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}")).reason());
    assertEquals("OOMKilled", col(containers("{'name':'a','state':{'terminated':{'exitCode':137,'reason':'OOMKilled'}}}")).reason());
    assertEquals("ExitCode:3", col(containers("{'name':'a','state':{'terminated':{'exitCode':3}}}")).reason());
    assertEquals("Signal:9", col(containers("{'name':'a','state':{'terminated':{'exitCode':0,'signal':9}}}")).reason());
  }

  @Test
  void initContainersShowProgress() throws Exception {
    PodStatusColumn c = col("{'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],'containers':[{'name':'a'}]},"
        + "'status':{'phase':'Pending','initContainerStatuses':[{'name':'i1','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
        + "{'name':'i2','state':{'running':{}}}],'containerStatuses':[{'name':'a','state':{'waiting':{'reason':'PodInitializing'}}}]}}");
    assertEquals("Init:1/2", c.reason());
    c = col("{'spec':{'initContainers':[{'name':'i1'}],'containers':[{'name':'a'}]},"
        + "'status':{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}");
    assertEquals("Init:CrashLoopBackOff", c.reason());
  }

  @Test
  void imagePullAndEvictedAndTerminating() throws Exception {
    assertEquals("ImagePullBackOff", col("{'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Pending',"
        + "'containerStatuses':[{'name':'a','state':{'waiting':{'reason':'ImagePullBackOff'}}}]}}").reason());
    assertEquals("Evicted", col("{'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Failed','reason':'Evicted'}}").reason());
    assertEquals("Terminating", col("{'metadata':{'deletionTimestamp':'2025-01-01T11:00:00Z'},'spec':{'containers':[{'name':'a'}]},"
        + "'status':{'phase':'Running'}}").reason());
    assertEquals("SchedulingGated", col("{'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Pending',"
        + "'conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}}").reason());
  }
}
