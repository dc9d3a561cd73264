/*
 * Entry point of kubelab-shim: reads the configuration Java sends on stdin, then runs one mode
 * (see shim.h for the modes and the protocol). Also the small helpers every mode shares:
 * frames to Java, trace steps, errors, and reading/writing whole buffers.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int out_fd = 1;

int write_full(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int read_full(int fd, void *buf, size_t len) {
  char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* One frame to Java. A frame below PIPE_BUF is written with one write(2), so frames written by
 * the supervisor and by the container child (before it execs) never interleave. */
void frame(char type, const void *data, size_t len) {
  char stack[4096 + 5];
  char *buf = len + 5 <= sizeof stack ? stack : malloc(len + 5);
  if (buf == NULL) return;
  buf[0] = type;
  buf[1] = (char)((len >> 24) & 0xff);
  buf[2] = (char)((len >> 16) & 0xff);
  buf[3] = (char)((len >> 8) & 0xff);
  buf[4] = (char)(len & 0xff);
  memcpy(buf + 5, data, len);
  (void)write_full(out_fd, buf, len + 5);
  if (buf != stack) free(buf);
}

void tracef(const struct config *c, const char *fmt, ...) {
  if (!c->trace) return;
  char buf[4000];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  frame('T', buf, (size_t)n);
}

int error_text_fd = -1;

void errorf(int code, const char *fmt, ...) {
  char buf[4000];
  int k = snprintf(buf, sizeof buf, "%d ", code);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + k, sizeof buf - (size_t)k, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  size_t len = (size_t)k + (size_t)n;
  if (len >= sizeof buf - 1) len = sizeof buf - 2;
  if (error_text_fd >= 0) { /* a health check: the message is part of its output */
    buf[len++] = '\n';
    (void)write_full(error_text_fd, buf + k, len - (size_t)k);
    return;
  }
  frame('E', buf, len);
}

int mkdir_p(const char *path, mode_t mode) {
  char tmp[4096];
  size_t len = strlen(path);
  if (len == 0 || len >= sizeof tmp) return -1;
  memcpy(tmp, path, len + 1);
  for (char *p = tmp + 1; *p; p++) {
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
      *p = '/';
    }
  }
  if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
  return 0;
}

static const char *CAP_NAMES[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};

const char *cap_name(int cap) {
  if (cap >= 0 && cap < (int)(sizeof CAP_NAMES / sizeof CAP_NAMES[0])) return CAP_NAMES[cap];
  return "?";
}

/* Reads the configuration block: a 4-byte big-endian length, then NUL-terminated entries. The
 * block stays allocated for the life of the process; the config points into it. */
static int read_config(struct config *c) {
  unsigned char hdr[4];
  if (read_full(0, hdr, 4) < 0) return -1;
  size_t len = ((size_t)hdr[0] << 24) | ((size_t)hdr[1] << 16) | ((size_t)hdr[2] << 8) | hdr[3];
  if (len > (1u << 20)) return -1;
  char *buf = malloc(len + 1);
  if (buf == NULL || read_full(0, buf, len) < 0) return -1;
  buf[len] = 0;
  memset(c, 0, sizeof *c);
  c->nnp = 1;
  for (char *p = buf, *next; p < buf + len; p = next) {
    next = p + strlen(p) + 1;
    char *eq = strchr(p, '=');
    if (eq == NULL) continue;
    *eq = 0;
    const char *k = p, *v = eq + 1;
#define IS(key) (strcmp(k, key) == 0)
#define ADD(arr, n, max) do { if (c->n < (max)) c->arr[c->n++] = v; } while (0)
    if (IS("mode")) c->mode = v;
    else if (IS("ns")) c->ns = v;
    else if (IS("join")) ADD(join, njoin, 8);
    else if (IS("joinpid")) c->join_pid = v;
    else if (IS("lower")) c->lower = v;
    else if (IS("upper")) c->upper = v;
    else if (IS("work")) c->work = v;
    else if (IS("rootfs")) c->rootfs = v;
    else if (IS("rootsrc")) c->rootsrc = v;
    else if (IS("hostname")) c->hostname = v;
    else if (IS("arg")) ADD(argv, argc, MAX_LIST - 1);
    else if (IS("env")) ADD(envp, envc, MAX_LIST - 1);
    else if (IS("cwd")) c->cwd = v;
    else if (IS("user")) c->user = v;
    else if (IS("bind")) ADD(binds, nbinds, 64);
    else if (IS("readonly")) c->readonly = atoi(v);
    else if (IS("pause")) c->pause = atoi(v);
    else if (IS("log")) c->log_path = v;
    else if (IS("exit")) c->exit_path = v;
    else if (IS("attach")) c->attach = atoi(v);
    else if (IS("stdin")) c->open_stdin = atoi(v);
    else if (IS("trace")) c->trace = atoi(v);
    else if (IS("cgroup")) ADD(cgroups, ncgroups, 16);
    else if (IS("oomfile")) c->oom_file = v;
    else if (IS("oomkey")) c->oom_key = v;
    else if (IS("caps")) c->caps = strtoull(v, NULL, 16);
    else if (IS("nnp")) c->nnp = atoi(v);
    else if (IS("ip")) c->ip = v;
    else if (IS("veth")) c->veth = v;
    else if (IS("bridge")) c->bridge = v;
    else if (IS("autoremove")) c->autoremove = v;
    else if (IS("pid")) c->pid = v;
    else if (IS("nsjoin")) c->nsjoin = v;
    else if (IS("procs")) ADD(procs, nprocs, 16);
    else if (IS("procslabel")) c->procs_label = v;
    else if (IS("limit")) ADD(limits, nlimits, 32);
    else if (IS("wait")) c->wait_go = atoi(v);
    else if (IS("pidfile")) c->pidfile = v;
    else if (IS("hc")) ADD(hc_argv, hc_argc, 63);
    else if (IS("hcinterval")) c->hc_interval_ms = atol(v);
    else if (IS("hctimeout")) c->hc_timeout_ms = atol(v);
    else if (IS("hcstart")) c->hc_start_ms = atol(v);
    else if (IS("hcretries")) c->hc_retries = atoi(v);
    else if (IS("healthfile")) c->health_file = v;
    else if (IS("uidmap")) c->uidmap = v;
    else if (IS("gidmap")) c->gidmap = v;
    else if (IS("idmap")) ADD(idmap, nidmap, MAX_LAYERS);
#undef IS
#undef ADD
  }
  c->argv[c->argc] = NULL;
  c->envp[c->envc] = NULL;
  c->hc_argv[c->hc_argc] = NULL;
  return 0;
}

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (strcmp(base, "pause") == 0 || (argc > 1 && strcmp(argv[1], "pause") == 0)) pause_main();
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    puts("kubelab-shim 1");
    return 0;
  }
  struct config c;
  if (read_config(&c) < 0) {
    fprintf(stderr, "kubelab-shim: this program is started by KubeLab's runtime, not by hand\n");
    return 125;
  }
  if (c.mode && strcmp(c.mode, "run") == 0) return run_main(&c);
  if (c.mode && strcmp(c.mode, "exec") == 0) return exec_main(&c);
  errorf(125, "kubelab-shim: unknown mode %s", c.mode ? c.mode : "(none)");
  return 125;
}
