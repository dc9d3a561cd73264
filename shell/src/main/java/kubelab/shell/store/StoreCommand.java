package kubelab.shell.store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab store}: run a store member ({@code serve}) and talk to a store the way etcdctl talks
 * to etcd ({@code put}, {@code get}, {@code del}, {@code watch}, {@code txn}, {@code lease},
 * {@code compact}, {@code status}, {@code members [add|remove]}, {@code log}). Output shapes follow etcdctl 3.4's simple
 * and JSON printers, so what a learner sees here is what they will see at work.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {"The replicated key-value store (a mini etcd): run a member, or read and write it like etcdctl."},
    subcommands = {
      StoreServeCommand.class,
      StorePutCommand.class,
      StoreGetCommand.class,
      StoreDelCommand.class,
      StoreWatchCommand.class,
      StoreTxnCommand.class,
      StoreLeaseCommand.class,
      StoreCompactCommand.class,
      StoreStatusCommand.class,
      StoreMembersCommand.class,
      StoreLogCommand.class,
    })
public final class StoreCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
