package kubelab.shell.cluster;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import kubelab.apiserver.table.Ages;
import kubelab.cluster.ClusterPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab certs}: the cluster PKI, as kubeadm manages it: {@code list} (like
 * {@code kubeadm certs check-expiration}, plus subjects and SANs), {@code init} (kubeadm's
 * "certs" phase) and {@code renew apiserver --extra-san X} (re-issue the serving certificate with
 * more Subject Alternative Names; a running API server reloads it within seconds).
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = "The cluster PKI: list certificates with expiry and SANs, create them, renew the API server's.",
    subcommands = {CertsCommand.ListCerts.class, CertsCommand.Init.class, CertsCommand.Renew.class})
public final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOption state;

  @Override
  public Integer call() throws Exception {
    return ListCerts.print(spec.commandLine().getOut(), state);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Each certificate: expiry, residual time, CA, subject, SANs.")
  static final class ListCerts implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOption state;

    @Override
    public Integer call() throws Exception {
      return print(spec.commandLine().getOut(), state);
    }

    static int print(PrintWriter out, StateOption state) throws Exception {
      ClusterPki pki = ClusterPki.load(state.clusterDir());
      DateTimeFormatter f = DateTimeFormatter.ofPattern("MMM dd, yyyy HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "SUBJECT", "SANS"});
      for (ClusterPki.CertInfo c : pki.list(Instant.now())) {
        rows.add(new String[] {c.name(), f.format(c.expires()), Ages.human(c.residual()),
            c.authority().isEmpty() ? "-" : c.authority(), c.subject(), c.sans().isEmpty() ? "-" : String.join(",", c.sans())});
      }
      ClusterStatus.printTable(out, rows);
      out.println("Files: " + pki.dir());
      out.flush();
      return 0;
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create the CA, the API server certificate and the client certificates if missing (kubeadm init phase certs all).")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOption state;

    @Option(names = "--extra-san", paramLabel = "NAME|IP", description = "Extra SAN for the API server certificate (repeatable).")
    List<String> extraSans = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      ClusterPki pki = ClusterPki.ensure(state.clusterDir(), extraSans);
      PrintWriter out = spec.commandLine().getOut();
      describe(out, pki);
      return 0;
    }
  }

  @Command(name = "renew", mixinStandardHelpOptions = true,
      description = "Re-issue a certificate; 'apiserver' takes --extra-san (a running API server picks it up within seconds).")
  static final class Renew implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StateOption state;

    @Parameters(paramLabel = "NAME", description = "The certificate to renew: apiserver.")
    String name;

    @Option(names = "--extra-san", paramLabel = "NAME|IP", description = "Add a Subject Alternative Name (repeatable).")
    List<String> extraSans = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (!name.equals("apiserver")) {
        throw new IllegalArgumentException("only the apiserver certificate can be renewed here (got '" + name + "')");
      }
      ClusterPki pki = ClusterPki.load(state.clusterDir());
      pki.renewApiServer(extraSans);
      PrintWriter out = spec.commandLine().getOut();
      out.println("[certs] Using existing ca certificate authority");
      out.println("[certs] Generating \"apiserver\" certificate and key");
      describe(out, pki);
      if (state.state().running().isPresent()) out.println("The running API server reloads the new certificate within a few seconds.");
      out.flush();
      return 0;
    }
  }

  static void describe(PrintWriter out, ClusterPki pki) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    for (String s : pki.sans()) (s.matches("[0-9.:a-fA-F]+") && (s.contains(".") || s.contains(":")) ? ips : dns).add(s);
    out.println("[certs] apiserver serving cert is signed for DNS names [" + String.join(" ", dns) + "] and IPs ["
        + String.join(" ", ips) + "]");
    out.println("[certs] Files in " + pki.dir());
    out.flush();
  }
}
