/*
 * Exec mode: run a command inside a running container, as `docker exec` does.
 *
 * The kernel refuses setns(CLONE_NEWNS) to a multi-threaded process, and setns(CLONE_NEWPID)
 * only moves the caller's future children, so this must happen here and not in the JVM:
 *   1. open /proc/PID/ns/{user,ipc,uts,net,pid,mnt} of the container's first process (user only
 *      for a --userns container);
 *   2. write our pid to the container's cgroup.procs files (limits apply to the command too);
 *   3. setns into each namespace (the mount namespace last: it also moves our root and cwd);
 *   4. fork (the child is the one inside the pid namespace), drop privileges, execve;
 *   5. relay the child's output to Java as frames and report its exit code.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* The user namespace first: every other namespace of a --userns container belongs to it, and
 * once inside it the caller holds the capabilities needed to join them. */
static const struct { const char *name; int flag; const char *text; } NS[] = {
    {"user", CLONE_NEWUSER, "CLONE_NEWUSER"},
    {"ipc", CLONE_NEWIPC, "CLONE_NEWIPC"}, {"uts", CLONE_NEWUTS, "CLONE_NEWUTS"},
    {"net", CLONE_NEWNET, "CLONE_NEWNET"}, {"pid", CLONE_NEWPID, "CLONE_NEWPID"},
    {"mnt", CLONE_NEWNS, "CLONE_NEWNS"}};

/* Steps 1-3: join the container's cgroup and namespaces. Returns -1 after an error frame (or
 * line, see error_text_fd). The caller must fork afterwards for the pid namespace to apply. */
int exec_join(struct config *c) {
  if (!c->pid) { errorf(125, "exec: no target pid"); return -1; }
  int fds[6];
  for (int i = 0; i < 6; i++) {
    fds[i] = -1;
    if (!c->nsjoin || !strstr(c->nsjoin, NS[i].name)) continue;
    char p[128];
    snprintf(p, sizeof p, "/proc/%s/ns/%s", c->pid, NS[i].name);
    tracef(c, "open(\"%s\")", p);
    fds[i] = open(p, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) { errorf(125, "exec: open %s: %s (is the container running?)", p, strerror(errno)); return -1; }
  }
  char self[32];
  int sn = snprintf(self, sizeof self, "%d", getpid());
  for (int i = 0; i < c->nprocs; i++) {
    tracef(c, "write(\"%s\", \"%s\")   join the container's cgroup", c->procs[i], self);
    int fd = open(c->procs[i], O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, self, (size_t)sn) < 0) {
      errorf(125, "exec: join cgroup %s: %s", c->procs[i], strerror(errno));
      return -1;
    }
    close(fd);
  }
  for (int i = 0; i < 6; i++) {
    if (fds[i] < 0) continue;
    tracef(c, "setns(fd of /proc/%s/ns/%s, %s)", c->pid, NS[i].name, NS[i].text);
    if (setns(fds[i], NS[i].flag) < 0) { errorf(125, "exec: setns %s: %s", NS[i].name, strerror(errno)); return -1; }
    close(fds[i]);
  }
  return 0;
}

/* Step 4, in the forked child (inside the pid namespace): user, working directory, privileges,
 * execve. stdin/stdout/stderr are set by the caller. Never returns. */
void exec_child(struct config *c, int report_fd) {
  uid_t uid; gid_t gid; gid_t groups[2]; int ngroups; const char *home;
  if (resolve_user(c->user, &uid, &gid, groups, &ngroups, &home) < 0) {
    errorf(126, "unable to find user %s: no matching entries in passwd file", c->user);
    if (report_fd >= 0) (void)write(report_fd, "E", 1);
    _exit(126);
  }
  const char *cwd = c->cwd && c->cwd[0] ? c->cwd : "/";
  if (chdir(cwd) < 0) {
    errorf(126, "exec: chdir %s: %s", cwd, strerror(errno));
    if (report_fd >= 0) (void)write(report_fd, "E", 1);
    _exit(126);
  }
  drop_privileges(c, uid, gid, groups, ngroups);
  exec_command(c, report_fd);
}

int exec_main(struct config *c) {
  signal(SIGPIPE, SIG_IGN);
  if (exec_join(c) < 0) return 125;

  int report_p[2], out_p[2], err_p[2];
  if (pipe2(report_p, O_CLOEXEC) < 0 || pipe2(out_p, O_CLOEXEC) < 0 || pipe2(err_p, O_CLOEXEC) < 0) {
    errorf(125, "pipe: %s", strerror(errno));
    return 125;
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  pid_t pid = fork();
  if (pid < 0) { errorf(125, "fork: %s", strerror(errno)); return 125; }
  if (pid == 0) {
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    signal(SIGPIPE, SIG_DFL);
    close(report_p[0]); close(out_p[0]); close(err_p[0]);
    out_fd = fcntl(1, F_DUPFD_CLOEXEC, 3);
    tracef(c, "fork() = pid in the container's namespace; it is PID %d there", getpid());
    if (!c->open_stdin) {
      int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd >= 0) { dup2(fd, 0); close(fd); }
    }
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    close(out_p[1]); close(err_p[1]);
    setsid();
    exec_child(c, report_p[1]);
  }
  close(report_p[1]); close(out_p[1]); close(err_p[1]);
  char pidbuf[32];
  int pn = snprintf(pidbuf, sizeof pidbuf, "%d", pid);
  frame('P', pidbuf, (size_t)pn);  /* so a caller with a deadline can kill the command */
  char rep;
  ssize_t r;
  do r = read(report_p[0], &rep, 1); while (r < 0 && errno == EINTR);
  close(report_p[0]);
  if (r == 0) frame('S', "", 0);

  struct relay rl = {out_p[0], err_p[0], -1, 1};
  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  int status = 0, exited = 0;
  while (!exited) {
    relay_poll(&rl, &sfd, 1, -1);
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) { }
    if (waitpid(pid, &status, WNOHANG) == pid) exited = 1;
  }
  for (int quiet = 0; (rl.out_r >= 0 || rl.err_r >= 0) && quiet < 2;)
    quiet = relay_poll(&rl, NULL, 0, 100) == 0 ? quiet + 1 : 0;
  int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  char x[32];
  int k = snprintf(x, sizeof x, "%d 0", code);
  frame('X', x, (size_t)k);
  return code;
}
