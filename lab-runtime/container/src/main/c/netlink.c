/*
 * Plugging a container into the lab0 bridge with one rtnetlink message, from the supervisor.
 *
 * `ip link add vethlabXXXX master lab0 up type veth peer name eth0 netns PID` is a single
 * RTM_NEWLINK request to the kernel; iproute2 only builds it. The supervisor builds it itself,
 * right after the clone (it knows the child's pid, and the child waits until it is told to go on),
 * which saves the CLI a process spawn and a round trip per container:
 *
 *   struct nlmsghdr     RTM_NEWLINK, NLM_F_REQUEST|NLM_F_CREATE|NLM_F_EXCL|NLM_F_ACK
 *   struct ifinfomsg    ifi_flags = IFF_UP (the host end comes up at once)
 *   IFLA_IFNAME         "vethlabXXXXXXXX"
 *   IFLA_MASTER         ifindex of lab0
 *   IFLA_LINKINFO
 *     IFLA_INFO_KIND    "veth"
 *     IFLA_INFO_DATA
 *       VETH_INFO_PEER  struct ifinfomsg, then the peer's attributes:
 *         IFLA_IFNAME       "eth0"
 *         IFLA_NET_NS_PID   the container's pid: the peer is created inside its network namespace
 *
 * The kernel answers with an NLMSG_ERROR carrying 0 (done) or -errno. The container's side (the
 * address and bringing eth0 up) stays with the child, inside its namespace (container.c).
 */
#include "shim.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

struct req {
  char buf[1024];
  size_t len;
};

static struct rtattr *put(struct req *r, unsigned short type, const void *data, size_t n) {
  struct rtattr *a = (struct rtattr *)(r->buf + NLMSG_ALIGN(r->len));
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(n);
  if (n) memcpy(RTA_DATA(a), data, n);
  r->len = NLMSG_ALIGN(r->len) + RTA_ALIGN(a->rta_len);
  return a;
}

static struct rtattr *nest(struct req *r, unsigned short type) {
  return put(r, type, NULL, 0);
}

static void end(struct req *r, struct rtattr *a) {
  a->rta_len = (unsigned short)(r->buf + r->len - (char *)a);
}

int veth_plug(struct config *c, pid_t pid) {
  unsigned bridge = if_nametoindex(c->bridge);
  if (bridge == 0) {
    errorf(125, "network setup failed: the bridge %s does not exist (%s); use --net none", c->bridge, strerror(errno));
    return -1;
  }
  struct req r;
  memset(&r, 0, sizeof r);
  struct nlmsghdr *h = (struct nlmsghdr *)r.buf;
  h->nlmsg_type = RTM_NEWLINK;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
  h->nlmsg_seq = 1;
  r.len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  struct ifinfomsg *ifi = NLMSG_DATA(h);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  put(&r, IFLA_IFNAME, c->veth, strlen(c->veth) + 1);
  put(&r, IFLA_MASTER, &bridge, sizeof bridge);
  struct rtattr *linkinfo = nest(&r, IFLA_LINKINFO);
  put(&r, IFLA_INFO_KIND, "veth", 5);
  struct rtattr *data = nest(&r, IFLA_INFO_DATA);
  struct rtattr *peer = nest(&r, VETH_INFO_PEER);
  struct ifinfomsg peer_ifi;
  memset(&peer_ifi, 0, sizeof peer_ifi);
  peer_ifi.ifi_family = AF_UNSPEC;
  memcpy(r.buf + r.len, &peer_ifi, sizeof peer_ifi);
  r.len += NLMSG_ALIGN(sizeof peer_ifi);
  put(&r, IFLA_IFNAME, "eth0", 5);
  unsigned nspid = (unsigned)pid;
  put(&r, IFLA_NET_NS_PID, &nspid, sizeof nspid);
  end(&r, peer);
  end(&r, data);
  end(&r, linkinfo);
  h->nlmsg_len = (unsigned)r.len;

  tracef(c, "RTM_NEWLINK %s type veth peer eth0 (in the network namespace of pid %d) master %s up   "
         "(one rtnetlink message: what `ip link add %s master %s up type veth peer name eth0 netns %d` sends)",
         c->veth, pid, c->bridge, c->veth, c->bridge, pid);
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s < 0) {
    errorf(125, "network setup failed: netlink socket: %s", strerror(errno));
    return -1;
  }
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(s, r.buf, r.len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    errorf(125, "network setup failed: RTM_NEWLINK %s: %s", c->veth, strerror(errno));
    close(s);
    return -1;
  }
  char reply[4096];
  ssize_t n;
  do n = recv(s, reply, sizeof reply, 0); while (n < 0 && errno == EINTR);
  close(s);
  if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
    errorf(125, "network setup failed: RTM_NEWLINK %s: no answer from the kernel", c->veth);
    return -1;
  }
  struct nlmsghdr *ans = (struct nlmsghdr *)reply;
  if (ans->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr *e = NLMSG_DATA(ans);
    if (e->error != 0) {
      errorf(125, "network setup failed: RTM_NEWLINK %s master %s: %s%s", c->veth, c->bridge, strerror(-e->error),
             -e->error == EEXIST ? " (a stale interface of that name: lab ps cleans up, or ip link del it)" : " (or use --net none)");
      return -1;
    }
  }
  return 0;
}
