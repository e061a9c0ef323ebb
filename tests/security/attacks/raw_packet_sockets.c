// Opens the sockets that forge or sniff packets: raw IPv4/IPv6, packet sockets (all protocols), the
// legacy SOCK_PACKET, and unprivileged ICMP "ping" sockets.
#include "verdict.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void) {
  verdict_of("raw-ipv4", socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
  verdict_of("raw-icmp", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
  verdict_of("raw-ipv6", socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
  verdict_of("packet-raw", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
  verdict_of("packet-dgram", socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL)));
  verdict_of("packet-legacy", socket(AF_INET, SOCK_PACKET, htons(ETH_P_ALL)));
  verdict_of("ping-socket", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
  return 0;
}
