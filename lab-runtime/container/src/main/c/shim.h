/*
 * kubelab-shim: the C stage of KubeLab's container runtime.
 *
 * The JVM is multi-threaded, so it must never fork, clone or unshare itself (runc has the same
 * problem with Go and solves it with nsexec, a C stage that runs before the Go runtime). KubeLab
 * spawns this small, statically linked program instead. It has three modes:
 *
 *   run    the supervisor (like conmon): clones the container's first process into new
 *          namespaces (a user namespace too with --userns: userns.c), waits on a socket until the Java side has put it into its cgroups and
 *          applied limits, then lets it mount its root, pivot_root, drop privileges and execve.
 *          It stays the container's parent: it writes stdout/stderr to the log file (CRI format),
 *          records the exit code and whether the OOM killer struck, and removes the cgroups.
 *   exec   joins a running container's namespaces and cgroups (setns), forks, and execs a
 *          command there (lab exec, CRI ExecSync).
 *          It also runs the image's HEALTHCHECK every interval (health.c), as dockerd does.
 *   pause  the sandbox's PID 1 (the pod infra container): sleeps and reaps zombies.
 *
 * Protocol with Java (all on this process's stdin/stdout):
 *   Java -> shim   a 4-byte big-endian length, then NUL-terminated "key=value" entries;
 *                  later single command bytes: 'G' (go on) or 'K' (abort).
 *   shim -> Java   frames: 1 type byte, 4-byte big-endian length, payload.
 *                  'T' trace step, 'P' pid, 'S' started, 'E' error "<code> <message>",
 *                  'O' stdout data, 'R' stderr data, 'X' exit "<code> <oom 0|1>".
 */
#ifndef KUBELAB_SHIM_H
#define KUBELAB_SHIM_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#define MAX_LIST 256
#define MAX_LAYERS 128   /* idmapped layers passed in one SCM_RIGHTS message (the kernel allows 253) */

struct config {
  const char *mode;
  /* namespaces */
  const char *ns;            /* run: comma list of namespaces to create (pid,mnt,uts,ipc,net,user) */
  const char *join[8];       /* run: "net:/proc/1/ns/net" entries, joined by the child */
  int njoin;
  const char *join_pid;      /* run: pid namespace to join (before clone) */
  /* rootfs */
  const char *lower, *upper, *work, *rootfs;
  const char *rootsrc;       /* a plain directory to bind as root when there is no overlay (sandboxes) */
  const char *hostname;
  const char *argv[MAX_LIST]; int argc;
  const char *envp[MAX_LIST]; int envc;
  const char *cwd;
  const char *user;
  const char *binds[64]; int nbinds;   /* "rw|ro\tsrc\tdst" */
  int readonly;
  int pause;
  const char *log_path, *exit_path;
  int attach, open_stdin, trace;
  const char *cgroups[16]; int ncgroups; /* directories to remove after exit */
  const char *oom_file, *oom_key;
  uint64_t caps;
  int nnp;
  const char *ip;            /* "10.77.0.5/16" for eth0, empty when none */
  const char *veth, *bridge; /* run: the host end of the veth pair to create, and the bridge it joins */
  const char *autoremove;    /* container dir to remove after exit (detached --rm) */
  /* exec */
  const char *pid;
  const char *nsjoin;        /* comma list: ipc,uts,net,pid,mnt */
  const char *procs[16]; int nprocs; /* cgroup.procs files: exec joins them; run moves the child there */
  const char *procs_label;   /* run: the cgroup.procs files as one path, for the trace */
  const char *limits[32]; int nlimits; /* run: "flag\tfile\tvalue\thint", written after procs */
  const char *pidfile;       /* run: "<shim pid> <child pid>", written before the child may run */
  int wait_go;               /* run: report the pid and wait for Java's G (it plugs the network first) */
  /* user namespace (run with "user" in ns) */
  const char *uidmap, *gidmap;          /* "0 100000 65536" */
  const char *idmap[MAX_LAYERS]; int nidmap; /* "layer dir\tstaging dir": idmapped and attached there */
  /* HEALTHCHECK (run): the probe's argv, Docker's timings in milliseconds, where State.Health goes */
  const char *hc_argv[64]; int hc_argc;
  long hc_interval_ms, hc_timeout_ms, hc_start_ms;
  int hc_retries;
  const char *health_file;
};

/* main.c: frames and helpers */
extern int out_fd;                     /* where frames go (stdout at first) */
void frame(char type, const void *data, size_t len);
void tracef(const struct config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errorf(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern int error_text_fd;              /* >= 0: errorf writes a plain line there instead of a frame */
int read_full(int fd, void *buf, size_t len);
int write_full(int fd, const void *buf, size_t len);
int mkdir_p(const char *path, mode_t mode);
const char *cap_name(int cap);

/* container.c: the child, from clone to execve */
void container_main(struct config *c, int sync_fd, int report_fd) __attribute__((noreturn));
int resolve_user(const char *user, uid_t *uid, gid_t *gid, gid_t *groups, int *ngroups, const char **home);
void drop_privileges(struct config *c, uid_t uid, gid_t gid, gid_t *groups, int ngroups);
void exec_command(struct config *c, int report_fd) __attribute__((noreturn));

/* supervise.c */
int run_main(struct config *c);
/* relay.c: copy child output to the log file and/or to Java */
struct relay {
  int out_r, err_r;   /* -1 when closed */
  int log_fd;         /* -1 for none */
  int to_java;        /* 1 while frames to Java are wanted and the reader is there */
};
void relay_chunk(struct relay *r, int stream, const char *buf, size_t n);
int relay_poll(struct relay *r, const int *extra, int nextra, int timeout_ms);
/* userns.c: user namespaces (supervisor side, then child side) */
int userns_prepare(struct config *c, pid_t pid, int *fds);  /* maps + idmapped layers; returns the count, -1 after an error frame */
int send_go(int sock, const int *fds, int n);              /* the go byte, with fds attached (SCM_RIGHTS) */
int recv_go(int sock, int *fds, int max);                  /* returns the number of fds received, -1 when aborted */
void userns_become_root(struct config *c);
int userns_stage_layers(struct config *c, const int *fds, int n);
/* health.c: HEALTHCHECK probes, run by the supervisor */
struct health;
struct health *health_start(struct config *c, pid_t pid);   /* NULL when the container has no HEALTHCHECK */
int health_fds(struct health *h, int *fds);                 /* fds to poll (timer, probe output); returns how many */
void health_event(struct health *h);                        /* after a wake-up: timer, output, probe exit */
void health_stop(struct health *h);                         /* the container ended: kill a running probe */
/* netlink.c: the veth pair into the container's network namespace, one RTM_NEWLINK */
int veth_plug(struct config *c, pid_t pid);                 /* -1 after an error frame */
/* exec.c */
int exec_main(struct config *c);
int exec_join(struct config *c);                               /* cgroup + setns; -1 after an error */
void exec_child(struct config *c, int report_fd) __attribute__((noreturn)); /* after fork: user, cwd, privileges, execve */
/* pause.c */
int pause_main(void) __attribute__((noreturn));

#endif
