/*
 * The container's first process, from clone(2) to execve(2). Runs in the new namespaces the
 * supervisor cloned it into. The order follows runc's libcontainer (rootfs_linux.go, init):
 *
 *   1. wait on the sync socket until the supervisor has written our pid to cgroup.procs and set
 *      the limits (so no instruction of the container runs outside its cgroup); with --userns,
 *      until it has also written our uid/gid maps, then become root of the user namespace and
 *      attach the idmapped image layers it sent along (userns.c);
 *   2. join shared namespaces (a pod's sandbox: net, ipc, uts);
 *   3. make every mount private, mount the overlay root, /proc, a small /dev, /sys (read-only),
 *      volumes, then mask the sensitive /proc paths;
 *   4. pivot_root(".", ".") and detach the old root;
 *   5. hostname, loopback and eth0;
 *   6. resolve the user, drop capabilities to Docker's default set, set no_new_privs;
 *   7. execve the command (or become the pause process).
 *
 * Every step is reported as a trace frame when tracing; any failure is reported as an error
 * frame plus one byte on the report pipe, and the child exits with Docker's code (125 runtime
 * failure, 126 command not executable, 127 command not found).
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/capability.h>

static int report;   /* CLOEXEC pipe to the supervisor: one byte 'E' means "failed before exec" */

static void die(int code, const char *what, int err) __attribute__((noreturn));
static void die(int code, const char *what, int err) {
  if (err) errorf(code, "%s: %s", what, strerror(err));
  else errorf(code, "%s", what);
  (void)write(report, "E", 1);
  _exit(code);
}

static void do_mount(struct config *c, const char *src, const char *dst, const char *type,
                     unsigned long flags, const char *data, const char *flagtext) {
  tracef(c, "mount(\"%s\", \"%s\", %s%s%s, %s, %s%s%s)", src ? src : "none", dst,
         type ? "\"" : "", type ? type : "NULL", type ? "\"" : "", flagtext,
         data ? "\"" : "", data ? data : "NULL", data ? "\"" : "");
  if (mount(src, dst, type, flags, data) < 0) {
    int e = errno;
    char what[800];
    const char *hint = "";
    if (e == ENODEV && type) hint = " (this kernel lacks that filesystem: load it, e.g. modprobe overlay)";
    else if (e == EINVAL && type && strcmp(type, "overlay") == 0 && data && strstr(data, "userxattr"))
      hint = " (overlayfs refused the idmapped layers: --userns needs Linux 5.19 or later; run without --userns)";
    else if (e == EINVAL && type && strcmp(type, "overlay") == 0)
      hint = " (overlayfs refused these directories: is the runtime's root on a filesystem overlayfs supports, such as ext4 or xfs?)";
    else if (e == EACCES && c->uidmap)
      hint = " (with --userns the container's root is an unprivileged uid on the host: it needs search permission on every directory above this path)";
    snprintf(what, sizeof what, "mount %s on %s: %s%s", type ? type : (src ? src : "none"), dst, strerror(e), hint);
    die(125, what, 0);
  }
}

static void path_in(char *out, size_t n, const char *root, const char *p) {
  snprintf(out, n, "%s%s%s", root, p[0] == '/' ? "" : "/", p);
}

/* A minimal /dev as runc makes it: a tmpfs with the six standard character devices, the
 * standard symlinks, devpts, shm and mqueue. */
static void setup_dev(struct config *c, int userns) {
  char p[4096];
  path_in(p, sizeof p, c->rootfs, "/dev");
  mkdir_p(p, 0755);
  do_mount(c, "tmpfs", p, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k",
           "MS_NOSUID|MS_STRICTATIME");
  static const struct { const char *name; int major, minor; } devs[] = {
      {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
  tracef(c, "mknod(\"%s/dev/{null,zero,full,random,urandom,tty}\", S_IFCHR|0666) %s",
         c->rootfs, userns ? "(bind mounts: mknod is not allowed in a user namespace)" : "");
  for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
    char d[4096];
    snprintf(d, sizeof d, "%s/dev/%s", c->rootfs, devs[i].name);
    if (!userns) {
      if (mknod(d, S_IFCHR | 0666, makedev(devs[i].major, devs[i].minor)) < 0) die(125, "mknod /dev device", errno);
      chmod(d, 0666);
    } else {
      int fd = open(d, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
      if (fd >= 0) close(fd);
      char host[64];
      snprintf(host, sizeof host, "/dev/%s", devs[i].name);
      if (mount(host, d, NULL, MS_BIND, NULL) < 0) die(125, "bind /dev device", errno);
    }
  }
  static const char *links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                   {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                   {"pts/ptmx", "ptmx"}, {"/proc/kcore", "core"}};
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    char d[4096];
    snprintf(d, sizeof d, "%s/dev/%s", c->rootfs, links[i][1]);
    if (symlink(links[i][0], d) < 0 && errno != EEXIST) die(125, "symlink in /dev", errno);
  }
  snprintf(p, sizeof p, "%s/dev/pts", c->rootfs);
  mkdir(p, 0755);
  do_mount(c, "devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
           userns ? "newinstance,ptmxmode=0666,mode=0620" : "newinstance,ptmxmode=0666,mode=0620,gid=5",
           "MS_NOSUID|MS_NOEXEC");
  snprintf(p, sizeof p, "%s/dev/shm", c->rootfs);
  mkdir(p, 01777);
  do_mount(c, "shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k",
           "MS_NOSUID|MS_NODEV|MS_NOEXEC");
  snprintf(p, sizeof p, "%s/dev/mqueue", c->rootfs);
  mkdir(p, 0755);
  do_mount(c, "mqueue", p, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "MS_NOSUID|MS_NODEV|MS_NOEXEC");
}

/* Docker's default masked and read-only paths (moby oci/defaults.go, Docker 27). */
static const char *MASKED[] = {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                               "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                               "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                               "/sys/devices/virtual/powercap"};
static const char *READONLY[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

static void mask_paths(struct config *c) {
  tracef(c, "mount(\"/dev/null\" or \"tmpfs\", MS_BIND|MS_RDONLY) over %d paths: /proc/kcore, /proc/keys, "
         "/proc/timer_list, /sys/firmware, ... (masked, as Docker does)", (int)(sizeof MASKED / sizeof MASKED[0]));
  char devnull[4096];
  path_in(devnull, sizeof devnull, c->rootfs, "/dev/null");
  for (size_t i = 0; i < sizeof MASKED / sizeof MASKED[0]; i++) {
    char p[4096];
    struct stat st;
    path_in(p, sizeof p, c->rootfs, MASKED[i]);
    if (stat(p, &st) < 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) < 0) die(125, "mask a /proc directory", errno);
    } else if (mount(devnull, p, NULL, MS_BIND, NULL) < 0) {
      die(125, "mask a /proc file", errno);
    }
  }
  tracef(c, "mount(path, path, MS_BIND|MS_REMOUNT|MS_RDONLY) for /proc/{bus,fs,irq,sys,sysrq-trigger} (read-only)");
  for (size_t i = 0; i < sizeof READONLY / sizeof READONLY[0]; i++) {
    char p[4096];
    path_in(p, sizeof p, c->rootfs, READONLY[i]);
    if (access(p, F_OK) < 0) continue;
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0 ||
        mount(p, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL) < 0)
      die(125, "make a /proc path read-only", errno);
  }
}

static void bind_volumes(struct config *c) {
  for (int i = 0; i < c->nbinds; i++) {
    char spec[8192];
    snprintf(spec, sizeof spec, "%s", c->binds[i]);
    char *mode = spec, *src = strchr(mode, '\t');
    if (!src) continue;
    *src++ = 0;
    char *dst = strchr(src, '\t');
    if (!dst) continue;
    *dst++ = 0;
    char target[4096];
    path_in(target, sizeof target, c->rootfs, dst);
    struct stat st;
    if (stat(src, &st) == 0 && !S_ISDIR(st.st_mode)) {
      char parent[4096];
      snprintf(parent, sizeof parent, "%s", target);
      char *slash = strrchr(parent, '/');
      if (slash) { *slash = 0; mkdir_p(parent, 0755); }
      int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
      if (fd >= 0) close(fd);
    } else {
      mkdir_p(target, 0755);
    }
    do_mount(c, src, target, NULL, MS_BIND | MS_REC, NULL, "MS_BIND|MS_REC");
    if (strcmp(mode, "ro") == 0)
      do_mount(c, src, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL, "MS_BIND|MS_REMOUNT|MS_RDONLY");
  }
}

static void setup_rootfs(struct config *c, int new_net, int userns) {
  do_mount(c, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, "MS_REC|MS_PRIVATE");
  if (c->lower && c->lower[0]) {
    size_t n = strlen(c->lower) + strlen(c->upper) + strlen(c->work) + 128;
    char *opts = malloc(n);
    /* The writable layer must stay a plain OCI diff that lab commit can pack: no redirects
     * (a renamed lower directory would point into the layers below), no metadata-only copy-ups,
     * no index of hard links. On a kernel built with those features on by default they would be
     * on without these options. In a user namespace overlayfs keeps its markers in user.overlay.*
     * xattrs (userxattr), which implies the same (and refuses the explicit options). */
    snprintf(opts, n, "lowerdir=%s,upperdir=%s,workdir=%s%s", c->lower, c->upper, c->work,
             userns ? ",userxattr" : ",redirect_dir=off,index=off,metacopy=off");
    do_mount(c, "kubelab", c->rootfs, "overlay", 0, opts, "0");
    free(opts);
  } else {
    /* a plain directory as root (sandboxes): bind it onto the mount point */
    const char *src = c->rootsrc && c->rootsrc[0] ? c->rootsrc : c->rootfs;
    do_mount(c, src, c->rootfs, NULL, MS_BIND | MS_REC, NULL, "MS_BIND|MS_REC");
  }
  char p[4096];
  path_in(p, sizeof p, c->rootfs, "/proc");
  mkdir_p(p, 0555);
  do_mount(c, "proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "MS_NOSUID|MS_NODEV|MS_NOEXEC");
  setup_dev(c, userns);
  path_in(p, sizeof p, c->rootfs, "/sys");
  mkdir_p(p, 0555);
  if (new_net)
    do_mount(c, "sysfs", p, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL,
             "MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_RDONLY");
  else {
    do_mount(c, "/sys", p, NULL, MS_BIND | MS_REC, NULL, "MS_BIND|MS_REC");
    do_mount(c, "/sys", p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL, "MS_BIND|MS_REMOUNT|MS_RDONLY");
  }
  bind_volumes(c);
  mask_paths(c);

  tracef(c, "chdir(\"%s\")", c->rootfs);
  if (chdir(c->rootfs) < 0) die(125, "chdir to the root filesystem", errno);
  tracef(c, "pivot_root(\".\", \".\")   the overlay becomes /, the old root is stacked on it");
  if (syscall(SYS_pivot_root, ".", ".") < 0) die(125, "pivot_root", errno);
  tracef(c, "umount2(\".\", MNT_DETACH)   detach the old root: the host's files are out of reach");
  if (umount2(".", MNT_DETACH) < 0) die(125, "umount2 the old root", errno);
  if (chdir("/") < 0) die(125, "chdir /", errno);
  if (c->readonly) {
    tracef(c, "mount(\"/\", \"/\", NULL, MS_BIND|MS_REMOUNT|MS_RDONLY, NULL)   --read-only");
    if (mount("/", "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) die(125, "remount / read-only", errno);
  }
}

static void if_up(struct config *c, int s, const char *name) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die(125, "read interface flags", errno);
  ifr.ifr_flags |= IFF_UP;
  tracef(c, "ioctl(SIOCSIFFLAGS, \"%s\", IFF_UP)", name);
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die(125, "bring an interface up", errno);
}

static void setup_network(struct config *c) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die(125, "socket", errno);
  if_up(c, s, "lo");
  if (c->ip && c->ip[0]) {
    char addr[64];
    snprintf(addr, sizeof addr, "%s", c->ip);
    char *slash = strchr(addr, '/');
    int prefix = 24;
    if (slash) { *slash = 0; prefix = atoi(slash + 1); }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "eth0");
    struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
    sin->sin_family = AF_INET;
    if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1) die(125, "bad IP address", 0);
    tracef(c, "ioctl(SIOCSIFADDR, \"eth0\", %s/%d)", addr, prefix);
    if (ioctl(s, SIOCSIFADDR, &ifr) < 0) die(125, "set the address of eth0", errno);
    sin->sin_addr.s_addr = prefix == 0 ? 0 : htonl(0xffffffffu << (32 - prefix));
    if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0) die(125, "set the netmask of eth0", errno);
    if_up(c, s, "eth0");
  }
  close(s);
}

/* Looks up "name", "uid", "uid:gid" or "name:group" in the container's /etc/passwd and
 * /etc/group (after pivot_root, so these are the image's files). Returns -1 if a name is unknown. */
int resolve_user(const char *user, uid_t *uid, gid_t *gid, gid_t *groups, int *ngroups, const char **home) {
  *uid = 0; *gid = 0; *ngroups = 0; *home = "/root";
  if (user == NULL || user[0] == 0) user = "0";
  char u[256], g[256] = "";
  snprintf(u, sizeof u, "%s", user);
  char *colon = strchr(u, ':');
  if (colon) { *colon = 0; snprintf(g, sizeof g, "%s", colon + 1); }
  char *end;
  long n = strtol(u, &end, 10);
  int numeric = *u && *end == 0;
  int found = 0;
  FILE *f = fopen("/etc/passwd", "re");
  if (f) {
    struct passwd *pw;
    while ((pw = fgetpwent(f)) != NULL) {
      if ((numeric && pw->pw_uid == (uid_t)n) || (!numeric && strcmp(pw->pw_name, u) == 0)) {
        *uid = pw->pw_uid; *gid = pw->pw_gid;
        static char h[512];
        snprintf(h, sizeof h, "%s", pw->pw_dir);
        *home = h;
        found = 1;
        break;
      }
    }
    fclose(f);
  }
  if (!found) {
    if (!numeric) return -1;
    *uid = (uid_t)n; *gid = (gid_t)n == 0 ? 0 : (gid_t)n;
    *home = n == 0 ? "/root" : "/";
  }
  if (g[0]) {
    long gn = strtol(g, &end, 10);
    if (*end == 0) *gid = (gid_t)gn;
    else {
      int gfound = 0;
      FILE *gf = fopen("/etc/group", "re");
      if (gf) {
        struct group *gr;
        while ((gr = fgetgrent(gf)) != NULL)
          if (strcmp(gr->gr_name, g) == 0) { *gid = gr->gr_gid; gfound = 1; break; }
        fclose(gf);
      }
      if (!gfound) return -1;
    }
  }
  groups[(*ngroups)++] = *gid;
  return 0;
}

/* Capabilities: drop everything outside the kept set from the bounding set, switch user, then
 * set effective = permitted = inheritable = the kept set (root) or nothing (other users). */
void drop_privileges(struct config *c, uid_t uid, gid_t gid, gid_t *groups, int ngroups) {
  int last = 40;
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
  if (f) { if (fscanf(f, "%d", &last) != 1) last = 40; fclose(f); }
  char kept[1024] = "";
  size_t k = 0;
  for (int cap = 0; cap <= last && cap < 64; cap++)
    if (c->caps & (1ull << cap))
      k += (size_t)snprintf(kept + k, sizeof kept - k, "%s%s", k ? "," : "", cap_name(cap));
  tracef(c, "prctl(PR_CAPBSET_DROP, cap) for every capability but the %d of Docker's default set: %s",
         __builtin_popcountll(c->caps), kept);
  for (int cap = 0; cap <= last; cap++) {
    if (cap < 64 && (c->caps & (1ull << cap))) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) die(125, "drop a capability", errno);
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (uid != 0 || gid != 0 || ngroups > 1) tracef(c, "setgroups(%d), setgid(%u), setuid(%u)", ngroups, gid, uid);
  if (setgroups((size_t)ngroups, groups) < 0) die(125, "setgroups", errno);
  if (setresgid(gid, gid, gid) < 0) die(125, "setgid", errno);
  if (setresuid(uid, uid, uid) < 0) die(125, "setuid", errno);
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  uint64_t set = uid == 0 ? c->caps : 0;
  data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t)set;
  data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t)(set >> 32);
  tracef(c, "capset(effective=permitted=inheritable=%016llx)", (unsigned long long)set);
  if (syscall(SYS_capset, &hdr, data) < 0) die(125, "capset", errno);
  if (c->nnp) {
    tracef(c, "prctl(PR_SET_NO_NEW_PRIVS, 1)   setuid binaries can no longer gain privileges");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die(125, "no_new_privs", errno);
  }
}

static const char *env_get(struct config *c, const char *key) {
  size_t n = strlen(key);
  for (int i = 0; i < c->envc; i++)
    if (strncmp(c->envp[i], key, n) == 0 && c->envp[i][n] == '=') return c->envp[i] + n + 1;
  return NULL;
}

/* execve with a $PATH search in the container's environment (not the shim's). */
void exec_command(struct config *c, int report_fd) {
  report = report_fd;
  if (c->argc == 0) die(125, "no command specified", 0);
  const char *cmd = c->argv[0];
  int saw_eacces = 0;
  char full[4096];
  if (strchr(cmd, '/')) {
    tracef(c, "execve(\"%s\", [%d args], [%d env vars])", cmd, c->argc, c->envc);
    execve(cmd, (char **)c->argv, (char **)c->envp);
    int e = errno;
    char what[600];
    snprintf(what, sizeof what, "exec: \"%s\"", cmd);
    die(e == ENOENT ? 127 : 126, what, e);
  }
  const char *path = env_get(c, "PATH");
  if (!path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  const char *p = path;
  while (*p) {
    const char *colon = strchr(p, ':');
    size_t len = colon ? (size_t)(colon - p) : strlen(p);
    snprintf(full, sizeof full, "%.*s/%s", (int)len, len ? p : ".", cmd);
    if (access(full, X_OK) == 0) {
      struct stat st;
      if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
        tracef(c, "execve(\"%s\", [%d args], [%d env vars])", full, c->argc, c->envc);
        execve(full, (char **)c->argv, (char **)c->envp);
        if (errno == EACCES) saw_eacces = 1;
        else {
          char what[600];
          snprintf(what, sizeof what, "exec: \"%s\"", full);
          die(126, what, errno);
        }
      }
    } else if (errno == EACCES) {
      saw_eacces = 1;
    }
    if (!colon) break;
    p = colon + 1;
  }
  char what[600];
  if (saw_eacces) {
    snprintf(what, sizeof what, "exec: \"%s\": permission denied", cmd);
    die(126, what, 0);
  }
  snprintf(what, sizeof what, "exec: \"%s\": executable file not found in $PATH", cmd);
  die(127, what, 0);
}

static int ns_flag(const char *name) {
  if (strcmp(name, "net") == 0) return CLONE_NEWNET;
  if (strcmp(name, "ipc") == 0) return CLONE_NEWIPC;
  if (strcmp(name, "uts") == 0) return CLONE_NEWUTS;
  if (strcmp(name, "pid") == 0) return CLONE_NEWPID;
  if (strcmp(name, "mnt") == 0) return CLONE_NEWNS;
  if (strcmp(name, "user") == 0) return CLONE_NEWUSER;
  return 0;
}

void container_main(struct config *c, int sync_fd, int report_fd) {
  report = report_fd;
  int layer_fds[MAX_LAYERS];
  int nlayers = recv_go(sync_fd, layer_fds, MAX_LAYERS);
  if (nlayers < 0) _exit(125);  /* aborted: Java said K or went away */
  close(sync_fd);

  int new_net = c->ns && strstr(c->ns, "net") != NULL;
  int userns = c->ns && strstr(c->ns, "user") != NULL;
  if (userns) userns_become_root(c);
  for (int i = 0; i < c->njoin; i++) {
    char kind[16];
    const char *colon = strchr(c->join[i], ':');
    if (!colon || colon - c->join[i] >= (long)sizeof kind) continue;
    snprintf(kind, sizeof kind, "%.*s", (int)(colon - c->join[i]), c->join[i]);
    int fd = open(colon + 1, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(125, "open the namespace to join (is the sandbox still running?)", errno);
    tracef(c, "setns(open(\"%s\"), CLONE_NEW%s)   share the %s namespace", colon + 1,
           strcmp(kind, "mnt") == 0 ? "NS" : kind, kind);
    if (setns(fd, ns_flag(kind)) < 0) die(125, "setns", errno);
    close(fd);
    if (strcmp(kind, "net") == 0) new_net = 0;
  }
  if (setsid() < 0) { /* already a session leader: fine */ }

  /* The pause binary is this program: keep a handle on it before the host's files go away. */
  int self_fd = -1;
  if (c->pause) self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);

  if (userns && userns_stage_layers(c, layer_fds, nlayers) < 0) die(125, "cannot attach the idmapped image layers", 0);
  setup_rootfs(c, new_net, userns);

  if (c->hostname && c->hostname[0] && (c->ns && strstr(c->ns, "uts"))) {
    tracef(c, "sethostname(\"%s\")", c->hostname);
    if (sethostname(c->hostname, strlen(c->hostname)) < 0) die(125, "sethostname", errno);
  }
  if (new_net) setup_network(c);

  uid_t uid; gid_t gid; gid_t groups[2]; int ngroups; const char *home;
  if (resolve_user(c->user, &uid, &gid, groups, &ngroups, &home) < 0) {
    char what[512];
    snprintf(what, sizeof what, "unable to find user %s: no matching entries in passwd file", c->user);
    die(125, what, 0);
  }
  if (!env_get(c, "HOME") && c->envc < MAX_LIST - 2) {
    static char h[600];
    snprintf(h, sizeof h, "HOME=%s", home);
    c->envp[c->envc++] = h;
    c->envp[c->envc] = NULL;
  }
  const char *cwd = c->cwd && c->cwd[0] ? c->cwd : "/";
  if (chdir(cwd) < 0) {
    mkdir_p(cwd, 0755);
    if (chdir(cwd) < 0) die(125, "chdir to the working directory", errno);
  }

  /* stdio: stdin is /dev/null unless -i; stdout and stderr were set up by the supervisor */
  if (!c->open_stdin) {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) { dup2(fd, 0); close(fd); }
  }
  drop_privileges(c, uid, gid, groups, ngroups);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);  /* a change of uid (--user) cleared it: arm it again */

  if (c->pause) {
    static char *pargv[] = {"/pause", NULL};
    tracef(c, "execve(\"/pause\")   the sandbox's PID 1: holds the namespaces and reaps zombies");
    if (self_fd >= 0) syscall(SYS_execveat, self_fd, "", pargv, c->envp, AT_EMPTY_PATH);
    pause_main();  /* execveat unavailable: be pause in this process */
  }
  exec_command(c, report_fd);
}
