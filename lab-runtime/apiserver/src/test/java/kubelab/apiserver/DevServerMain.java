package kubelab.apiserver;

import java.nio.file.Files;
import java.nio.file.Path;
import kubelab.apiserver.testing.TestApiServer;

/** Starts a test API server and writes its kubeconfig to the path given (manual exploration). */
public final class DevServerMain {
  public static void main(String[] args) throws Exception {
    TestApiServer api = TestApiServer.builder().user("learner").start();
    Files.copy(api.kubeconfig(), Path.of(args[0]), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(api.kubeconfig("learner"), Path.of(args[0] + ".learner"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.println("serving " + api.url());
    Thread.sleep(Long.MAX_VALUE);
  }
}
