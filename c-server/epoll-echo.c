// SPDX-License-Identifier: Apache-2.0
// epoll-echo: a single-threaded, non-blocking epoll echo server in C, the benchmark's "limit of the machine".
//
// Usage: epoll-echo [--unix PATH]... [--tcp HOST:PORT]...
//
// Echoes every byte back, in order, until the client's EOF, then closes. Prints
// "listening unix:PATH" / "listening tcp:HOST:PORT" once per listener when all
// are bound. Each read goes into one shared 64 KiB buffer and is written straight
// back; what the socket does not take is kept for that connection alone, which
// is not read again until it drains. SIGTERM or SIGINT (through a signalfd, in
// the same loop) removes the socket files and exits 0. A socket file at PATH
// that refuses connections (a killed server's) is replaced; anything else there
// is refused. Exit status: 0 after a signal, 1 unexpected error, 2 bad usage or
// an address that cannot be listened on.
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LISTENERS 16
#define BUF_SIZE (64 * 1024)

enum kind { LISTENER, CONNECTION, SIGNALS };

struct conn {
	enum kind kind;     // first, so that every epoll data pointer can be told apart
	int fd;
	int tcp;            // a TCP listener's connections get TCP_NODELAY
	char *pending;      // what the socket did not take yet; NULL when nothing
	size_t off, len;
	int eof;            // the client has half-closed: close once pending is sent
};

static char buf[BUF_SIZE];
static int ep;
static const char *paths[MAX_LISTENERS];
static int npaths;

static void die(int status, const char *op, const char *addr, const char *cause) {
	fprintf(stderr, "epoll-echo: %s %s: %s\n", op, addr, cause);
	for (int i = 0; i < npaths; i++)
		unlink(paths[i]);
	exit(status);
}

static void watch(struct conn *c, uint32_t events, int op) {
	struct epoll_event ev = {.events = events, .data.ptr = c};
	if (epoll_ctl(ep, op, c->fd, &ev) < 0)
		die(1, "epoll_ctl", "", strerror(errno));
}

static struct conn *new_conn(enum kind kind, int fd, int tcp) {
	struct conn *c = calloc(1, sizeof *c);
	if (!c)
		die(1, "calloc", "", strerror(errno));
	c->kind = kind;
	c->fd = fd;
	c->tcp = tcp;
	return c;
}

// A stale socket (nobody accepts there) is removed; anything else at the path is refused.
static void clear_stale(const char *path, const struct sockaddr_un *sa) {
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (!S_ISSOCK(st.st_mode))
		die(2, "listen unix", path, "exists and is not a socket");
	int probe = socket(AF_UNIX, SOCK_STREAM, 0);
	if (probe >= 0 && connect(probe, (const struct sockaddr *)sa, sizeof *sa) == 0)
		die(2, "listen unix", path, "a live server is listening there");
	if (probe >= 0)
		close(probe);
	unlink(path);
}

static void listen_unix(const char *path) {
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path)
		die(2, "listen unix", path, "path longer than 107 bytes");
	strcpy(sa.sun_path, path);
	clear_stale(path, &sa);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		die(2, "listen unix", path, strerror(errno));
	paths[npaths++] = path;
	if (listen(fd, SOMAXCONN) < 0)
		die(2, "listen unix", path, strerror(errno));
	watch(new_conn(LISTENER, fd, 0), EPOLLIN, EPOLL_CTL_ADD);
	char *abs = realpath(path, NULL);
	printf("listening unix:%s\n", abs ? abs : path);
	free(abs);
}

static void listen_tcp(const char *hostport) {
	char host[256];
	const char *colon = strrchr(hostport, ':');
	size_t hlen = colon ? (size_t)(colon - hostport) : 0;
	if (!colon || hlen >= sizeof host)
		die(2, "listen tcp", hostport, "want HOST:PORT");
	memcpy(host, hostport, hlen);
	host[hlen] = 0;
	if (host[0] == '[' && hlen > 1 && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = 0;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai;
	int err = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai);
	if (err)
		die(2, "listen tcp", hostport, gai_strerror(err));
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
	    || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0)
		die(2, "listen tcp", hostport, strerror(errno));
	freeaddrinfo(ai);
	watch(new_conn(LISTENER, fd, 1), EPOLLIN, EPOLL_CTL_ADD);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char name[INET6_ADDRSTRLEN], port[8];
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	getnameinfo((struct sockaddr *)&ss, sl, name, sizeof name, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
	printf(ss.ss_family == AF_INET6 ? "listening tcp:[%s]:%s\n" : "listening tcp:%s:%s\n", name, port);
}

static void drop(struct conn *c) {
	close(c->fd); // also removes it from the epoll set
	free(c->pending);
	free(c);
}

static void accept_all(struct conn *l) {
	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				fprintf(stderr, "epoll-echo: accept: %s\n", strerror(errno));
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		int one = 1;
		if (l->tcp)
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		watch(new_conn(CONNECTION, fd, l->tcp), EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD);
	}
}

// flush writes what is pending; returns 1 when all of it went, 0 when the socket is full, -1 on error.
static int flush(struct conn *c) {
	while (c->off < c->len) {
		ssize_t n = write(c->fd, c->pending + c->off, c->len - c->off);
		if (n < 0)
			return errno == EAGAIN ? 0 : errno == EINTR ? flush(c) : -1;
		c->off += n;
	}
	free(c->pending);
	c->pending = NULL;
	c->off = c->len = 0;
	return 1;
}

// echo reads and writes back until the socket has nothing more or is full.
static void echo(struct conn *c) {
	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof buf);
		if (n == 0) {
			c->eof = 1;
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				c->eof = -1;
			return;
		}
		ssize_t w = write(c->fd, buf, n);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			c->eof = -1;
			return;
		}
		if (w < 0)
			w = 0;
		if (w < n) { // keep the rest, and stop reading until it is sent
			c->pending = malloc(n - w);
			if (!c->pending)
				die(1, "malloc", "", strerror(errno));
			memcpy(c->pending, buf + w, n - w);
			c->len = n - w;
			return;
		}
	}
}

static void serve(struct conn *c, uint32_t events) {
	if (c->pending) {
		int done = flush(c);
		if (done < 0) {
			drop(c);
			return;
		}
		if (!done)
			return;
	} else if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		echo(c);
	}
	if (c->eof < 0 || (c->eof && !c->pending)) {
		drop(c);
		return;
	}
	watch(c, c->pending ? EPOLLOUT : EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD);
}

int main(int argc, char **argv) {
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((ep = epoll_create1(0)) < 0)
		die(1, "epoll_create1", "", strerror(errno));
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
	if (sfd < 0)
		die(1, "signalfd", "", strerror(errno));
	watch(new_conn(SIGNALS, sfd, 0), EPOLLIN, EPOLL_CTL_ADD);

	int listeners = 0;
	for (int i = 1; i < argc; i++) {
		int unix_ = !strcmp(argv[i], "--unix"), tcp = !strcmp(argv[i], "--tcp");
		if ((!unix_ && !tcp) || i + 1 == argc || listeners == MAX_LISTENERS)
			die(2, "usage", argv[i], "want [--unix PATH]... [--tcp HOST:PORT]... (at most 16)");
		if (unix_)
			listen_unix(argv[++i]);
		else
			listen_tcp(argv[++i]);
		listeners++;
	}
	if (!listeners)
		die(2, "usage", "", "want [--unix PATH]... [--tcp HOST:PORT]...");
	fflush(stdout);

	struct epoll_event events[256];
	for (;;) {
		int n = epoll_wait(ep, events, 256, -1);
		if (n < 0 && errno != EINTR)
			die(1, "epoll_wait", "", strerror(errno));
		for (int i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;
			if (c->kind == SIGNALS) {
				for (int j = 0; j < npaths; j++)
					unlink(paths[j]);
				return 0;
			}
			if (c->kind == LISTENER)
				accept_all(c);
			else
				serve(c, events[i].events);
		}
	}
}
