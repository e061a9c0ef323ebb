// Reconfigures networking over netlink: creates an interface, adds an address to loopback, and talks to
// netfilter and the audit subsystem. The kernel's acknowledgement carries the refusal.
#include "verdict.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
  struct nlmsghdr header;
  union {
    struct ifinfomsg link;
    struct ifaddrmsg address;
    struct nfgenmsg netfilter;
  };
  char attributes[64];
};

// Sends one request that asks for an acknowledgement; the answer's error is the verdict.
static void ask(const char *probe, int protocol, struct request *request) {
  int s = socket(AF_NETLINK, SOCK_RAW, protocol);
  if (s < 0) {
    verdict_of(probe, -1);
    return;
  }
  request->header.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(s, request, request->header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    verdict_of(probe, -1);
    close(s);
    return;
  }
  char answer[4096];
  struct timeval wait = {.tv_sec = 2};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  ssize_t got = recv(s, answer, sizeof answer, 0);
  struct nlmsghdr *reply = (struct nlmsghdr *)answer;
  if (got < 0) {
    verdict_of(probe, -1);
  } else if (reply->nlmsg_type == NLMSG_ERROR) {
    int error = -((struct nlmsgerr *)NLMSG_DATA(reply))->error;
    verdict(probe, error ? strerrorname_np(error) : "ESCAPED");
  } else {
    verdict(probe, "unexpected-answer");
  }
  close(s);
}

static void add_attribute(struct request *request, int type, const void *data, int length) {
  struct rtattr *attribute = (struct rtattr *)((char *)request + NLMSG_ALIGN(request->header.nlmsg_len));
  attribute->rta_type = type;
  attribute->rta_len = RTA_LENGTH(length);
  memcpy(RTA_DATA(attribute), data, length);
  request->header.nlmsg_len = NLMSG_ALIGN(request->header.nlmsg_len) + RTA_ALIGN(attribute->rta_len);
}

int main(void) {
  struct request request = {0};
  request.header = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK,
                                     .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL};
  add_attribute(&request, IFLA_IFNAME, "escape0", 8);
  struct rtattr *info = (struct rtattr *)((char *)&request + NLMSG_ALIGN(request.header.nlmsg_len));
  add_attribute(&request, IFLA_LINKINFO, NULL, 0);
  add_attribute(&request, IFLA_INFO_KIND, "dummy", 6);
  info->rta_len = (char *)&request + request.header.nlmsg_len - (char *)info;
  ask("create-interface", NETLINK_ROUTE, &request);

  memset(&request, 0, sizeof request);
  request.header = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_NEWADDR,
                                     .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL};
  request.address = (struct ifaddrmsg){.ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = if_nametoindex("lo")};
  unsigned char address[4] = {10, 99, 99, 99};
  add_attribute(&request, IFA_LOCAL, address, 4);
  ask("add-address", NETLINK_ROUTE, &request);

  memset(&request, 0, sizeof request);
  request.header = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg)),
                                     .nlmsg_type = NFNL_MSG_BATCH_BEGIN};
  request.netfilter = (struct nfgenmsg){.nfgen_family = AF_UNSPEC, .res_id = NFNL_SUBSYS_NFTABLES};
  ask("netfilter-batch", NETLINK_NETFILTER, &request);

  memset(&request, 0, sizeof request);
  request.header = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(0), .nlmsg_type = 1001 /* AUDIT_SET */};
  ask("audit-set", NETLINK_AUDIT, &request);
  return 0;
}
