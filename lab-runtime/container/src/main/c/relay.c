/*
 * Copies a container's output: into the log file in the CRI format the kubelet reads
 * ("2016-10-06T00:17:09.669794202Z stdout F line", P for a partial line), and to an attached
 * CLI as 'O'/'R' frames. A reader that went away (EPIPE) is dropped; logging goes on.
 */
#include "shim.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void log_chunk(int fd, int stream, const char *buf, size_t n) {
  if (fd < 0 || n == 0) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char prefix[80];
  size_t k = strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
  k += (size_t)snprintf(prefix + k, sizeof prefix - k, ".%09ldZ %s ", ts.tv_nsec, stream == 1 ? "stdout" : "stderr");
  /* worst case: every byte a newline */
  size_t cap = n + (n + 1) * (k + 3) + 1;
  char *out = malloc(cap);
  if (!out) return;
  size_t o = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || buf[i] == '\n') {
      if (i == n && i == start) break;
      memcpy(out + o, prefix, k); o += k;
      out[o++] = i == n ? 'P' : 'F';
      out[o++] = ' ';
      memcpy(out + o, buf + start, i - start); o += i - start;
      out[o++] = '\n';
      start = i + 1;
    }
  }
  (void)write_full(fd, out, o);
  free(out);
}

void relay_chunk(struct relay *r, int stream, const char *buf, size_t n) {
  log_chunk(r->log_fd, stream, buf, n);
  if (r->to_java) {
    for (size_t off = 0; off < n; off += 4096) {
      size_t len = n - off < 4096 ? n - off : 4096;
      errno = 0;
      frame(stream == 1 ? 'O' : 'R', buf + off, len);
      if (errno == EPIPE) { r->to_java = 0; break; }
    }
  }
}

/* Waits up to timeout_ms for output (or for one of the extra fds to become readable: a signalfd,
 * the health check's timer and output) and copies what came. Returns the number of bytes copied.
 * Closes a stream at EOF. */
int relay_poll(struct relay *r, const int *extra, int nextra, int timeout_ms) {
  struct pollfd p[8];
  int n = 0, io = -1, ie = -1;
  if (r->out_r >= 0) { io = n; p[n].fd = r->out_r; p[n].events = POLLIN; n++; }
  if (r->err_r >= 0) { ie = n; p[n].fd = r->err_r; p[n].events = POLLIN; n++; }
  for (int i = 0; i < nextra && n < 8; i++)
    if (extra[i] >= 0) { p[n].fd = extra[i]; p[n].events = POLLIN; n++; }
  if (n == 0) return 0;
  int k = poll(p, (nfds_t)n, timeout_ms);
  if (k <= 0) return 0;
  int copied = 0;
  char buf[65536];
  int idx[2] = {io, ie};
  for (int s = 0; s < 2; s++) {
    int i = idx[s];
    if (i < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t got = read(p[i].fd, buf, sizeof buf);
    if (got > 0) {
      relay_chunk(r, s + 1, buf, (size_t)got);
      copied += (int)got;
    } else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
      close(p[i].fd);
      if (s == 0) r->out_r = -1; else r->err_r = -1;
    }
  }
  return copied;
}
