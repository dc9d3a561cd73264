/*
 * User namespaces (lab run --userns): root inside the container is an unprivileged uid outside.
 *
 * The container's first process is cloned with CLONE_NEWUSER among the other flags, so the
 * kernel makes the user namespace first and every other new namespace (mount, pid, net, ...) is
 * owned by it: the process's capabilities are full inside, and worth nothing against the host.
 * Its uid is still the host's 0, which the new namespace does not map yet. The supervisor (still
 * root on the host) then, before the child may go on:
 *
 *   1. writes /proc/PID/uid_map and gid_map: "0 100000 65536" (container uid 0..65535 is host
 *      uid 100000..165535). setgroups stays "allow": the writer holds CAP_SETGID in the parent
 *      namespace, so the kernel lets it map groups without first denying setgroups(2), and the
 *      child can still drop supplementary groups;
 *   2. makes an idmapped copy of every image layer: open_tree(OPEN_TREE_CLONE) detaches a bind
 *      mount of the layer, mount_setattr(MOUNT_ATTR_IDMAP) attaches the container's user
 *      namespace to it, so a file the host sees as uid 0 appears as uid 100000 through that mount,
 *      which the container maps back to its root. The shared layers are never chowned; only the
 *      container's own directories (writable layer, overlay work dir, init layer) are owned by
 *      uid 100000 (Java chowns them);
 *   3. sends the "go" byte with the layer mounts attached (SCM_RIGHTS over the sync socket).
 *
 * The child then becomes root of its namespace (setresuid(0) there is uid 100000 here), attaches
 * each layer mount in its own mount namespace with move_mount(2), and mounts the overlay with
 * "userxattr" (inside a user namespace overlayfs keeps its markers in user.overlay.* xattrs; the
 * trusted.* ones need host privileges). Files it creates land in the writable layer owned by
 * uid 100000 on the host.
 *
 * Kernel support: idmapped mounts on ext4/xfs need Linux 5.12, and overlayfs accepts idmapped
 * lower layers from 5.19. An older kernel gets a one-line error naming what is missing.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <grp.h>
#include <linux/mount.h>
#include <signal.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int rc = write_full(fd, text, strlen(text));
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

int userns_prepare(struct config *c, pid_t pid, int *fds) {
  char path[128];
  const struct { const char *file, *map; } maps[] = {{"uid_map", c->uidmap}, {"gid_map", c->gidmap}};
  for (size_t i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "/proc/%d/%s", pid, maps[i].file);
    unsigned long in = 0, out = 0, count = 0;
    sscanf(maps[i].map, "%lu %lu %lu", &in, &out, &count);
    tracef(c, "write %s \"%s\"   (container %cids %lu..%lu are host %cids %lu..%lu)", path, maps[i].map,
           i ? 'g' : 'u', in, in + count - 1, i ? 'g' : 'u', out, out + count - 1);
    if (write_file(path, maps[i].map) < 0) {
      errorf(125, "cannot write %s \"%s\": %s (is the range free, and does this kernel allow user namespaces? "
             "see /proc/sys/user/max_user_namespaces)", path, maps[i].map, strerror(errno));
      return -1;
    }
  }
  if (c->nidmap == 0) return 0;
  snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
  int ufd = open(path, O_RDONLY | O_CLOEXEC);
  if (ufd < 0) {
    errorf(125, "open %s: %s", path, strerror(errno));
    return -1;
  }
  char first[4096];
  snprintf(first, sizeof first, "%s", c->idmap[0]);
  char *tab = strchr(first, '\t');
  if (tab) *tab = 0;
  tracef(c, "open_tree(\"%s\", OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_IDMAP, %s) for each of the %d image layers   "
         "(an idmapped view: host uid 0 shows as the container's root; the layers stay untouched)",
         first, path, c->nidmap);
  int n = 0;
  for (int i = 0; i < c->nidmap; i++) {
    char src[4096];
    snprintf(src, sizeof src, "%s", c->idmap[i]);
    tab = strchr(src, '\t');
    if (tab) *tab = 0;
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      errorf(125, "open_tree %s: %s%s", src, strerror(e),
             e == ENOSYS ? " (--userns needs the new mount API: Linux 5.12 or later; run without --userns)" : "");
      goto fail;
    }
    fds[n++] = fd;
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = (unsigned long long)ufd;
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
      int e = errno;
      errorf(125, "mount_setattr(MOUNT_ATTR_IDMAP) on the image layer %s: %s (--userns needs idmapped mounts: "
             "Linux 5.12 or later and a filesystem that supports them, such as ext4, xfs or btrfs; run without --userns)",
             src, strerror(e));
      goto fail;
    }
  }
  close(ufd);
  return n;
fail:
  close(ufd);
  for (int i = 0; i < n; i++) close(fds[i]);
  return -1;
}

int send_go(int sock, const int *fds, int n) {
  char go = 'G';
  struct iovec iov = {&go, 1};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  char control[CMSG_SPACE(sizeof(int) * MAX_LAYERS)];
  if (n > 0) {
    memset(control, 0, sizeof control);
    m.msg_control = control;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)n);
  }
  ssize_t r;
  do r = sendmsg(sock, &m, MSG_NOSIGNAL); while (r < 0 && errno == EINTR);
  return r == 1 ? 0 : -1;
}

int recv_go(int sock, int *fds, int max) {
  char go = 0;
  struct iovec iov = {&go, 1};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  char control[CMSG_SPACE(sizeof(int) * MAX_LAYERS)];
  m.msg_control = control;
  m.msg_controllen = sizeof control;
  ssize_t r;
  do r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC); while (r < 0 && errno == EINTR);
  if (r != 1 || go != 'G') return -1;
  int n = 0;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
    if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
    int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    for (int i = 0; i < k; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(cm) + sizeof(int) * (size_t)i, sizeof fd);
      if (n < max) fds[n++] = fd;
      else close(fd);
    }
  }
  return n;
}

void userns_become_root(struct config *c) {
  unsigned long in = 0, out = 0;
  sscanf(c->uidmap, "%lu %lu", &in, &out);
  tracef(c, "setresgid(0, 0, 0), setgroups(0, []), setresuid(0, 0, 0)   root of the new user namespace: uid %lu on the host", out);
  if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0) {
    errorf(125, "become root in the user namespace: %s", strerror(errno));
    _exit(125);
  }
  /* A change of the effective uid clears the parent-death signal: arm it again. */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

int userns_stage_layers(struct config *c, const int *fds, int n) {
  if (n != c->nidmap) {
    errorf(125, "the supervisor sent %d idmapped layers, %d were expected", n, c->nidmap);
    return -1;
  }
  if (n == 0) return 0;
  char first[4096];
  const char *t = strchr(c->idmap[0], '\t');
  snprintf(first, sizeof first, "%s", t ? t + 1 : "?");
  tracef(c, "move_mount(layer fd, \"%s\", MOVE_MOUNT_F_EMPTY_PATH) and so on for the %d idmapped layers", first, n);
  for (int i = 0; i < n; i++) {
    const char *stage = strchr(c->idmap[i], '\t');
    if (!stage) return -1;
    stage++;
    if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, stage, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
      errorf(125, "move_mount of an idmapped layer onto %s: %s", stage, strerror(errno));
      return -1;
    }
    close(fds[i]);
  }
  return 0;
}
