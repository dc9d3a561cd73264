/*
 * HEALTHCHECK: the supervisor runs the image's health probe in the container, as dockerd does
 * (Docker 27, daemon/health.go), and records State.Health in a file next to the container's exit
 * file for `lab inspect` and `lab ps` to read.
 *
 * Timing, in Docker's words: the first probe runs one interval after the start, and each next one
 * an interval after the previous one ended. A probe that runs longer than the timeout is killed
 * and counts as a failure (exit code -1, "Health check exceeded timeout (2s)").
 *
 * Status: "starting" until the first success or until `retries` consecutive failures; a success
 * makes it "healthy" and resets FailingStreak; `retries` consecutive failures make it
 * "unhealthy". During the start period a failure does not count while the status is still
 * "starting". Log keeps the last 5 probes, each output cut at 4096 bytes.
 *
 * A probe is an exec (exec.c): a child of the supervisor joins the container's cgroup and
 * namespaces, forks the command inside the pid namespace and waits for it. Both carry
 * PR_SET_PDEATHSIG(SIGKILL), so nothing outlives the supervisor; when the container ends the
 * supervisor kills a running probe and reaps it (health_stop), so no probe is ever left behind.
 *
 * The supervisor's single loop drives everything: a timerfd for the next probe or the running
 * probe's deadline, the probe's output pipe, and SIGCHLD.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_ENTRIES 5       /* Docker's maxLogEntries */
#define OUTPUT_MAX 4096     /* Docker's maxOutputLen */

struct entry {
  char start[48], end[48];
  int code;
  char output[OUTPUT_MAX + 1];
};

struct health {
  struct config probe;      /* the exec configuration of the probe */
  char pidbuf[24];
  long interval_ms, timeout_ms, start_ms;
  int retries;
  const char *file;
  int timer;
  pid_t pid;                /* the running probe (its first process), 0 when none */
  int out;                  /* the running probe's output, -1 when closed */
  int timed_out;
  struct timespec started;  /* the container's start (monotonic): the start period counts from it */
  struct timespec probe_started;
  struct entry current;
  size_t out_len;
  const char *status;
  int streak;
  struct entry log[LOG_ENTRIES];
  int nlog;
};

static void iso(char *buf, size_t n) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + k, n - k, ".%09ldZ", ts.tv_nsec);
}

static long since_ms(const struct timespec *t) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static void arm(struct health *h, long ms) {
  struct itimerspec it;
  memset(&it, 0, sizeof it);
  if (ms < 1) ms = 1;
  it.it_value.tv_sec = ms / 1000;
  it.it_value.tv_nsec = (ms % 1000) * 1000000;
  timerfd_settime(h->timer, 0, &it, NULL);
}

/* Go's time.Duration.String() for whole milliseconds: 500ms, 2s, 1.5s, 1m30s, 1h0m0s. */
static void go_duration(long ms, char *buf, size_t n) {
  if (ms < 1000) { snprintf(buf, n, "%ldms", ms); return; }
  long h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
  char sec[32];
  if (frac == 0) snprintf(sec, sizeof sec, "%lds", s);
  else {
    snprintf(sec, sizeof sec, "%ld.%03ld", s, frac);
    size_t k = strlen(sec);
    while (sec[k - 1] == '0') sec[--k] = 0;
    snprintf(sec + k, sizeof sec - k, "s");
  }
  if (h) snprintf(buf, n, "%ldh%ldm%s", h, m, sec);
  else if (m) snprintf(buf, n, "%ldm%s", m, sec);
  else snprintf(buf, n, "%s", sec);
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", f);
    else if (*p == '\r') fputs("\\r", f);
    else if (*p == '\t') fputs("\\t", f);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

/* State.Health as docker inspect shows it, written to a temporary file and renamed. */
static void write_state(struct health *h) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", h->file);
  FILE *f = fopen(tmp, "we");
  if (!f) return;
  fprintf(f, "{\"Status\":\"%s\",\"FailingStreak\":%d,\"Log\":[", h->status, h->streak);
  for (int i = 0; i < h->nlog; i++) {
    struct entry *e = &h->log[i];
    fprintf(f, "%s{\"Start\":\"%s\",\"End\":\"%s\",\"ExitCode\":%d,\"Output\":", i ? "," : "", e->start, e->end, e->code);
    json_string(f, e->output);
    fputc('}', f);
  }
  fputs("]}\n", f);
  fclose(f);
  rename(tmp, h->file);
}

struct health *health_start(struct config *c, pid_t pid) {
  if (c->hc_argc == 0 || !c->health_file) return NULL;
  struct health *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->probe = *c;
  h->probe.mode = "exec";
  h->probe.trace = 0;
  h->probe.pause = 0;
  h->probe.open_stdin = 0;
  for (int i = 0; i <= c->hc_argc; i++) h->probe.argv[i] = c->hc_argv[i];
  h->probe.argc = c->hc_argc;
  snprintf(h->pidbuf, sizeof h->pidbuf, "%d", pid);
  h->probe.pid = h->pidbuf;
  h->probe.nsjoin = c->ns && strstr(c->ns, "user") ? "user,ipc,uts,net,pid,mnt" : "ipc,uts,net,pid,mnt";
  h->interval_ms = c->hc_interval_ms > 0 ? c->hc_interval_ms : 30000;  /* Docker's defaults */
  h->timeout_ms = c->hc_timeout_ms > 0 ? c->hc_timeout_ms : 30000;
  h->start_ms = c->hc_start_ms;
  h->retries = c->hc_retries > 0 ? c->hc_retries : 3;
  h->file = c->health_file;
  h->out = -1;
  h->status = "starting";
  clock_gettime(CLOCK_MONOTONIC, &h->started);
  h->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (h->timer < 0) { free(h); return NULL; }
  write_state(h);
  arm(h, h->interval_ms);
  return h;
}

int health_fds(struct health *h, int *fds) {
  if (!h) return 0;
  fds[0] = h->timer;
  fds[1] = h->out;
  return 2;
}

/* The probe's first process (a child of the supervisor): join, fork the command, pass on its exit. */
static void probe_main(struct health *h, int out) __attribute__((noreturn));
static void probe_main(struct health *h, int out) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  int dn = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (dn >= 0) { dup2(dn, 0); close(dn); }
  dup2(out, 1);
  dup2(out, 2);
  close(out);
  error_text_fd = 2;  /* a failure to run the probe is its output, as Docker reports it */
  if (exec_join(&h->probe) < 0) _exit(126);
  pid_t cmd = fork();
  if (cmd < 0) _exit(126);
  if (cmd == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    exec_child(&h->probe, -1);
  }
  int status = 0;
  while (waitpid(cmd, &status, 0) < 0 && errno == EINTR) { }
  _exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

static void start_probe(struct health *h) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) { arm(h, h->interval_ms); return; }
  memset(&h->current, 0, sizeof h->current);
  h->out_len = 0;
  h->timed_out = 0;
  iso(h->current.start, sizeof h->current.start);
  clock_gettime(CLOCK_MONOTONIC, &h->probe_started);
  pid_t pid = fork();
  if (pid < 0) { close(p[0]); close(p[1]); arm(h, h->interval_ms); return; }
  if (pid == 0) {
    close(p[0]);
    probe_main(h, p[1]);
  }
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  h->pid = pid;
  h->out = p[0];
  arm(h, h->timeout_ms);
}

static void read_output(struct health *h) {
  if (h->out < 0) return;
  char buf[4096];
  for (;;) {
    ssize_t n = read(h->out, buf, sizeof buf);
    if (n > 0) {
      size_t room = OUTPUT_MAX - h->out_len;
      size_t k = (size_t)n < room ? (size_t)n : room;
      memcpy(h->current.output + h->out_len, buf, k);
      h->out_len += k;
      h->current.output[h->out_len] = 0;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN) { close(h->out); h->out = -1; }
    return;
  }
}

/* Docker's handleProbeResult. */
static void finish_probe(struct health *h, int status) {
  read_output(h);
  if (h->out >= 0) { close(h->out); h->out = -1; }
  struct entry *e = &h->current;
  iso(e->end, sizeof e->end);
  if (h->timed_out) {
    char d[32];
    go_duration(h->timeout_ms, d, sizeof d);
    e->code = -1;
    snprintf(e->output, sizeof e->output, "Health check exceeded timeout (%s)", d);
  } else {
    e->code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }
  if (h->nlog == LOG_ENTRIES) {
    memmove(&h->log[0], &h->log[1], sizeof h->log[0] * (LOG_ENTRIES - 1));
    h->nlog--;
  }
  h->log[h->nlog++] = *e;
  if (e->code == 0) {
    h->streak = 0;
    h->status = "healthy";
  } else {
    /* a failure within the start period does not count while the container is still starting */
    long since_start = (h->probe_started.tv_sec - h->started.tv_sec) * 1000 +
                       (h->probe_started.tv_nsec - h->started.tv_nsec) / 1000000;
    if (!(strcmp(h->status, "starting") == 0 && since_start < h->start_ms)) {
      h->streak++;
      if (h->streak >= h->retries) h->status = "unhealthy";
    }
  }
  h->pid = 0;
  write_state(h);
  arm(h, h->interval_ms);
}

void health_event(struct health *h) {
  if (!h) return;
  uint64_t ticks;
  int fired = read(h->timer, &ticks, sizeof ticks) == (ssize_t)sizeof ticks;
  read_output(h);
  if (h->pid > 0) {
    int status;
    if (waitpid(h->pid, &status, WNOHANG) == h->pid) finish_probe(h, status);
    else if (fired && since_ms(&h->probe_started) >= h->timeout_ms) {
      h->timed_out = 1;
      kill(h->pid, SIGKILL);  /* the command dies with it (PR_SET_PDEATHSIG) */
    }
    return;
  }
  if (fired) start_probe(h);
}

void health_stop(struct health *h) {
  if (!h) return;
  if (h->pid > 0) {
    kill(h->pid, SIGKILL);
    while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR) { }
    h->pid = 0;
  }
  if (h->out >= 0) close(h->out);
  close(h->timer);
  free(h);
}
