// SPDX-License-Identifier: GPL-2.0
/*
 * httpd PORT: the smallest HTTP server the connection-rate benchmark needs.
 * Answers every request with a fixed 200 and closes, so that each request
 * costs the load balancer a whole TCP connection.  One epoll loop: under
 * QEMU TCG a Python or forking server would be what the benchmark measured.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char reply[] =
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";

static int listen_on(int port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int one = 1, fd;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096)) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	int lfd, ep, n, i, fd;
	char buf[4096];
	ssize_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: httpd PORT\n");
		return 2;
	}
	lfd = listen_on(atoi(argv[1]));
	ep = epoll_create1(0);
	if (lfd < 0 || ep < 0) {
		perror("httpd");
		return 1;
	}
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == lfd) {
				while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					ev.data.fd = fd;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			/* A request fits one read; anything else is a closed peer. */
			len = read(fd, buf, sizeof(buf));
			if (len < 0 && errno == EAGAIN)
				continue;
			if (len > 0 && write(fd, reply, sizeof(reply) - 1) < 0)
				perror("httpd: write");
			close(fd);
		}
	}
}
