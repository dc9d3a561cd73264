/*
 * Run mode: the supervisor. Clones the container's first process, reports its pid to Java,
 * waits for Java's go (cgroups and limits are in place by then), then stays the container's
 * parent for its whole life, like conmon:
 *
 *   - copies the container's stdout and stderr into the log file (CRI format) and, when a CLI is
 *     attached, to Java as frames;
 *   - reaps the container's first process and records the exit: code (128+signal when killed,
 *     as Docker reports it), whether the cgroup's OOM killer struck, and the time;
 *   - removes the container's cgroups, and for a detached --rm container its directory.
 *
 * The container child gets PR_SET_PDEATHSIG(SIGKILL): if the supervisor is killed, the kernel
 * kills the container too, so no container is ever left running without a supervisor.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int clone_flags(const char *ns, char *text, size_t n) {
  int flags = 0;
  size_t k = 0;
  text[0] = 0;
  static const struct { const char *name; int flag; const char *text; } table[] = {
      {"pid", CLONE_NEWPID, "CLONE_NEWPID"}, {"mnt", CLONE_NEWNS, "CLONE_NEWNS"},
      {"uts", CLONE_NEWUTS, "CLONE_NEWUTS"}, {"ipc", CLONE_NEWIPC, "CLONE_NEWIPC"},
      {"net", CLONE_NEWNET, "CLONE_NEWNET"}, {"user", CLONE_NEWUSER, "CLONE_NEWUSER"}};
  for (size_t i = 0; ns && i < sizeof table / sizeof table[0]; i++) {
    if (strstr(ns, table[i].name)) {
      flags |= table[i].flag;
      k += (size_t)snprintf(text + k, n - k, "%s|", table[i].text);
    }
  }
  snprintf(text + k, n - k, "SIGCHLD");
  return flags;
}

static void iso_now(char *buf, size_t n) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + k, n - k, ".%09ldZ", ts.tv_nsec);
}

/* True when the cgroup's OOM killer killed a process: "oom_kill N" with N > 0 in
 * memory.oom_control (v1) or memory.events (v2). */
static int oom_killed(struct config *c) {
  if (!c->oom_file || !c->oom_key) return 0;
  FILE *f = fopen(c->oom_file, "re");
  if (!f) return 0;
  char line[256];
  int killed = 0;
  size_t klen = strlen(c->oom_key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, c->oom_key, klen) == 0 && line[klen] == ' ' && atol(line + klen + 1) > 0) killed = 1;
  }
  fclose(f);
  return killed;
}

static void remove_cgroups(struct config *c) {
  for (int i = 0; i < c->ncgroups; i++) {
    for (int tries = 0; tries < 200; tries++) {
      if (rmdir(c->cgroups[i]) == 0 || errno == ENOENT) break;
      if (errno != EBUSY) break;
      struct timespec ts = {0, 1000000};
      nanosleep(&ts, NULL);
    }
  }
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st; (void)type; (void)ftw;
  remove(path);
  return 0;
}

static void write_exit(struct config *c, int code, int sig, int oom, const char *error) {
  if (!c->exit_path) return;
  char tmp[4096], ts[64];
  snprintf(tmp, sizeof tmp, "%s.tmp", c->exit_path);
  iso_now(ts, sizeof ts);
  FILE *f = fopen(tmp, "we");
  if (!f) return;
  fprintf(f, "exit_code=%d\nsignal=%d\noom_killed=%d\nfinished_at=%s\n", code, sig, oom, ts);
  if (error) fprintf(f, "error=%s\n", error);
  fclose(f);  /* no fsync: rename makes it atomic; a host crash ends the container anyway */
  rename(tmp, c->exit_path);
}

/* Moves the child into its cgroup and writes the limits, before it may run a single instruction
 * of its own (runc's order: "no children can escape the cgroup"). Returns -1 after an error frame. */
static int setup_cgroups(struct config *c, pid_t pid) {
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%d", pid);
  if (c->nprocs > 0)
    tracef(c, "write %s \"%d\"   (before the child may run: nothing escapes the limits)",
           c->procs_label ? c->procs_label : c->procs[0], pid);
  for (int i = 0; i < c->nprocs; i++) {
    int fd = open(c->procs[i], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, buf, (size_t)n) < 0) {
      errorf(125, "cannot move the container into its cgroup (%s): %s", c->procs[i], strerror(errno));
      if (fd >= 0) close(fd);
      return -1;
    }
    close(fd);
  }
  for (int i = 0; i < c->nlimits; i++) {
    char spec[8192];
    snprintf(spec, sizeof spec, "%s", c->limits[i]);
    char *flag = spec, *file = strchr(flag, '\t');
    if (!file) continue;
    *file++ = 0;
    char *value = strchr(file, '\t');
    if (!value) continue;
    *value++ = 0;
    char *hint = strchr(value, '\t');
    if (hint) *hint++ = 0;
    tracef(c, "write %s \"%s\"", file, value);
    int fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0 || write(fd, value, strlen(value)) < 0) {
      int e = errno;
      const char *base = strrchr(file, '/');
      if (fd < 0 && e == ENOENT)
        errorf(125, "this kernel has no %s (cgroup controller missing): drop %s or enable the controller", base ? base + 1 : file, flag);
      else
        errorf(125, "the kernel refused %s \"%s\" (%s: %s)%s", flag, value, base ? base + 1 : file, strerror(e), hint ? hint : "");
      if (fd >= 0) close(fd);
      return -1;
    }
    close(fd);
  }
  return 0;
}

int run_main(struct config *c) {
  signal(SIGPIPE, SIG_IGN);
  setsid();  /* the terminal's Ctrl-C is for the CLI, not for the supervisor */

  int log_fd = -1;
  if (c->log_path) log_fd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);

  int sync_p[2], report_p[2], out_p[2], err_p[2];
  /* sync is a socket, not a pipe: the go byte may carry file descriptors (idmapped layers) */
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync_p) < 0 || pipe2(report_p, O_CLOEXEC) < 0 || pipe2(out_p, O_CLOEXEC) < 0 ||
      pipe2(err_p, O_CLOEXEC) < 0) {
    errorf(125, "pipe: %s", strerror(errno));
    return 125;
  }

  if (c->join_pid) {
    int fd = open(c->join_pid, O_RDONLY | O_CLOEXEC);
    tracef(c, "setns(open(\"%s\"), CLONE_NEWPID)   children of the supervisor join the shared pid namespace", c->join_pid);
    if (fd < 0 || setns(fd, CLONE_NEWPID) < 0) {
      errorf(125, "join the pid namespace %s: %s", c->join_pid, strerror(errno));
      remove_cgroups(c);
      return 125;
    }
    close(fd);
  }

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);

  char text[256];
  int flags = clone_flags(c->ns, text, sizeof text);
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL, NULL, NULL, 0UL);
  if (pid < 0) {
    int e = errno;
    errorf(125, "clone(%s): %s%s", text, strerror(e),
           e == EINVAL || e == EPERM ? " (does this kernel support these namespaces? run as root)" : "");
    remove_cgroups(c);
    return 125;
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    /* If the supervisor died before prctl, the sync pipe reads EOF and the child exits. */
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    signal(SIGPIPE, SIG_DFL);
    close(sync_p[1]); close(report_p[0]); close(out_p[0]); close(err_p[0]);
    out_fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    close(out_p[1]); close(err_p[1]);
    container_main(c, sync_p[0], report_p[1]);
  }
  close(sync_p[0]); close(report_p[1]); close(out_p[1]); close(err_p[1]);
  tracef(c, "clone(%s) = %d   the container's first process, PID 1 in its new pid namespace", text, pid);
  int layer_fds[MAX_LAYERS], nlayers = 0;
  if (flags & CLONE_NEWUSER) {
    nlayers = userns_prepare(c, pid, layer_fds);
    if (nlayers < 0) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
      remove_cgroups(c);
      return 125;
    }
  }
  if (setup_cgroups(c, pid) < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    remove_cgroups(c);
    return 125;
  }
  if (c->pidfile) {
    /* Before the child may run: whoever finds a start abandoned (the CLI killed) can find us. */
    char tmp[4096], line[64];
    snprintf(tmp, sizeof tmp, "%s.tmp", c->pidfile);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int len = snprintf(line, sizeof line, "%d %d\n", getpid(), pid);
    if (fd >= 0) {
      (void)write_full(fd, line, (size_t)len);
      close(fd);
      rename(tmp, c->pidfile);
    }
  }
  if (c->veth && c->veth[0] && veth_plug(c, pid) < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    remove_cgroups(c);
    return 125;
  }
  char pidbuf[32];
  int n = snprintf(pidbuf, sizeof pidbuf, "%d", pid);
  frame('P', pidbuf, (size_t)n);

  if (c->wait_go) {
    char cmd = 0;
    if (read(0, &cmd, 1) != 1 || cmd != 'G') {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
      remove_cgroups(c);
      return 125;
    }
  }
  if (nlayers > 0)
    tracef(c, "sendmsg(sync socket, \"G\", SCM_RIGHTS [%d idmapped layer mounts])   the child may go on: it is in its cgroup, limits are set", nlayers);
  else
    tracef(c, "write(sync socket, \"G\")   the child may go on: it is in its cgroup, limits are set");
  if (send_go(sync_p[1], layer_fds, nlayers) < 0) { /* the child died: its status tells */ }
  for (int i = 0; i < nlayers; i++) close(layer_fds[i]);
  close(sync_p[1]);

  /* The report pipe closes on execve (CLOEXEC): EOF without a byte means the command runs. */
  char rep = 0;
  ssize_t r;
  do r = read(report_p[0], &rep, 1); while (r < 0 && errno == EINTR);
  close(report_p[0]);
  int started = r == 0;
  if (started) frame('S', "", 0);

  if (!c->open_stdin) {
    int dn = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dn >= 0) { dup2(dn, 0); close(dn); }
  }
  struct relay rl = {out_p[0], err_p[0], log_fd, c->attach && started};
  if (!rl.to_java) {
    int dn = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (dn >= 0) { dup2(dn, 1); close(dn); }
    out_fd = 1;
  }

  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  struct health *health = started ? health_start(c, pid) : NULL;
  int status = 0, exited = 0;
  while (!exited) {
    int fds[3] = {sfd, -1, -1};
    relay_poll(&rl, fds, 1 + health_fds(health, fds + 1), -1);
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) { }
    health_event(health);
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) exited = 1;
  }
  health_stop(health);  /* no probe outlives the container */
  /* Drain what is left. In its own pid namespace every process died with PID 1, so EOF comes at
   * once; in a shared one a straggler may hold the pipe: stop after a short quiet period. */
  for (int quiet = 0; (rl.out_r >= 0 || rl.err_r >= 0) && quiet < 2;)
    quiet = relay_poll(&rl, NULL, 0, 100) == 0 ? quiet + 1 : 0;

  int code, sig = 0;
  if (WIFSIGNALED(status)) { sig = WTERMSIG(status); code = 128 + sig; }
  else code = WEXITSTATUS(status);
  int oom = oom_killed(c);
  remove_cgroups(c);
  write_exit(c, code, sig, oom, started ? NULL : "the container's process failed before it could run its command");
  if (rl.to_java) {
    char x[64];
    int k = snprintf(x, sizeof x, "%d %d", code, oom);
    frame('X', x, (size_t)k);
  }
  if (c->autoremove && c->autoremove[0] && !rl.to_java)
    nftw(c->autoremove, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  return code;
}
