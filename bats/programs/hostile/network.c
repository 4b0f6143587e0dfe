/* Tries to reach 1.1.1.1:53 over TCP and UDP; prints what happened.
 * Exit 0 only if something got out. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in sa;
	int s, ok = 0;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(53);
	inet_pton(AF_INET, "1.1.1.1", &sa.sin_addr);

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		printf("tcp socket failed: %s\n", strerror(errno));
	else if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0)
		printf("tcp connect failed: %s\n", strerror(errno));
	else {
		printf("tcp connected\n");
		ok = 1;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		printf("udp socket failed: %s\n", strerror(errno));
	else if (sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa) != 1)
		printf("udp send failed: %s\n", strerror(errno));
	else {
		printf("udp sent\n");
		ok = 1;
	}
	return ok ? 0 : 1;
}
