// Sends datagrams to a UDP listener of the host, on loopback and on the host's own address, and waits for
// the port-unreachable answer that proves where they went (argv: the port, the host's address).
#include "verdict.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void send_to(const char *probe, const char *address, int port) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, address, &to.sin_addr);
  struct timeval wait = {.tv_sec = 1};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char answer[16];
  if (connect(s, (struct sockaddr *)&to, sizeof to) != 0 || send(s, "escaped", 7, 0) < 0) {
    verdict_of(probe, -1);
  } else {
    // Nobody listens on the sandbox's own loopback: the kernel answers with ECONNREFUSED.
    verdict_of(probe, recv(s, answer, sizeof answer, 0));
  }
  close(s);
}

int main(int argc, char **argv) {
  int port = atoi(argv[1]);
  send_to("loopback", "127.0.0.1", port);
  send_to("broadcast", "255.255.255.255", port);
  send_to("host-address", argv[2], port);
  return 0;
}
