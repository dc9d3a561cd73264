package kubelab.store;

/** The in-memory single member passes the contract. */
class LocalKvStoreTest extends KvStoreContract {
  @Override
  protected KvStore newStore() {
    return new LocalKvStore();
  }
}
