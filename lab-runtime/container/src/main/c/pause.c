/*
 * Pause mode: the pod sandbox's PID 1 (Kubernetes' pause container). It holds the pod's
 * namespaces open for as long as the pod lives, reaps every orphan the kernel re-parents to it
 * (with a shared pid namespace), and exits on SIGINT or SIGTERM.
 */
#include "shim.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) { }
}

int pause_main(void) {
  prctl(PR_SET_NAME, "pause", 0, 0, 0); /* exec'd through a file descriptor, the kernel named us after the binary */
  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (;;) pause();
}
