// SPDX-License-Identifier: Apache-2.0
// epoll-echo: a single-threaded, non-blocking epoll echo server in C, the benchmark's "limit of the machine".
//
// Usage: epoll-echo --unix PATH | --tcp HOST:PORT | --seqpacket PATH | --datagram PATH [more of them]... [--mode 0600] [--grace 5s]
//
// Echoes every byte back, in order, until the client's EOF, then closes. Prints
// "listening unix:PATH" / "listening tcp:HOST:PORT" / "listening seqpacket:PATH" /
// "listening datagram:PATH" once per listener when all are bound. Each read goes
// into one shared 64 KiB buffer and is written straight back; what the socket
// does not take is kept for that connection alone, which is not read again until
// it drains.
//
// A SOCK_SEQPACKET connection is served by the same code as a stream: each read
// is one message and each write of it one message, so the boundaries are kept
// (messages up to 64 KiB; zero-length ones are outside the contract, a read
// cannot tell them from EOF). A SOCK_DGRAM socket sends each datagram back to its
// sender's address (up to 64 KiB); one from an unbound sender, or whose sender
// cannot take it within 1 s, is dropped and counted on stderr. Descriptors passed
// with SCM_RIGHTS are not echoed (plain reads drop them), nor are abstract names
// (@name) served: the server declares both.
//
// The rest is the conformance contract of go-reference/cmd/echo-server, flags and
// exit statuses included (docs/server.md, "Other languages"): a socket file gets exactly the --mode
// bits (umask around the bind); a socket file at PATH that refuses connections (a
// killed server's) is replaced, a live server's socket or anything that is not a
// socket is refused and left alone. SIGTERM or SIGINT (through a signalfd, in the
// same loop) closes the listeners, removes the socket files (only while each is
// still the one this server created: same device and inode), lets open connections
// finish for up to --grace and exits 0; a second signal exits at once. Exit status:
// 0 after a signal, 1 unexpected error, 2 bad usage or an address that cannot be
// listened on.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 16
#define MAX_PATH_LEN 107 // sun_path is 108 bytes with its NUL
#define BUF_SIZE (64 * 1024)

enum kind { LISTENER, CONNECTION, SIGNALS, DATAGRAMS };

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
static long open_conns; // connections accepted and not yet dropped: the drain waits for them
static long dropped;    // datagrams not echoed: an unbound sender, or one that did not take the reply

// The socket files this server created, each with its device and inode, and every listener.
static struct socket_file {
	const char *path;
	dev_t dev;
	ino_t ino;
} files[MAX_LISTENERS];
static int nfiles;
static struct conn *listeners[MAX_LISTENERS];
static int nlisteners;

static const char usage[] =
	"Usage:\n"
	"  epoll-echo --unix PATH | --tcp HOST:PORT | --seqpacket PATH | --datagram PATH [more ...] [--mode 0600] [--grace 5s]\n"
	"  epoll-echo --version\n\n"
	"Echoes every byte each client sends, in order, until the client's EOF, then\n"
	"closes the connection. Prints \"listening unix:PATH\" or \"listening tcp:HOST:PORT\"\n"
	"on stdout once per listener when all are bound; logs go to stderr. On SIGTERM\n"
	"or SIGINT it stops accepting, removes its socket files, lets open connections\n"
	"finish for up to --grace, then closes them and exits 0.\n\n"
	"Flags:\n"
	"  --unix PATH       listen on the socket file PATH (repeatable, at most 16 listeners)\n"
	"  --tcp HOST:PORT   listen on TCP HOST:PORT, port 0 for any free one (repeatable)\n"
	"  --seqpacket PATH  listen on a SOCK_SEQPACKET socket file: each message echoed as one (repeatable)\n"
	"  --datagram PATH   a SOCK_DGRAM socket file: each datagram sent back to its sender (repeatable)\n"
	"  --mode OCTAL      permission bits of the socket files (default 0600)\n"
	"  --grace DURATION  how long open connections may take to finish after SIGTERM or SIGINT (default 5s)\n"
	"  --version         print the version and exit\n\n"
	"Exit status: 0 clean shutdown, 1 unexpected error, 2 bad usage or configuration.\n";

// remove_files unlinks each socket file while it is still the one this server created.
static void remove_files(void) {
	struct stat st;
	for (int i = 0; i < nfiles; i++)
		if (lstat(files[i].path, &st) == 0 && st.st_dev == files[i].dev && st.st_ino == files[i].ino)
			unlink(files[i].path);
	nfiles = 0;
}

static void die(int status, const char *op, const char *addr, const char *cause) {
	fprintf(stderr, "epoll-echo: %s %s: %s\n", op, addr, cause);
	remove_files();
	exit(status);
}

static void usage_error(const char *what, const char *value) {
	fprintf(stderr, "epoll-echo: %s%s (see epoll-echo --help)\n", what, value);
	exit(2);
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
	if (kind == CONNECTION)
		open_conns++;
	return c;
}

static const char *describe(mode_t mode) {
	return S_ISREG(mode) ? "a regular file" : S_ISDIR(mode) ? "a directory" : S_ISLNK(mode) ? "a symbolic link"
		: S_ISFIFO(mode) ? "a named pipe" : "a device";
}

// A stale socket (connecting is refused: nobody accepts there) is removed; a live one, or anything that is
// not a socket, is refused and left alone. The probe does not block: a live server with a full backlog
// answers EAGAIN, which is live too.
static void clear_stale(const char *path, const struct sockaddr_un *sa, int type) {
	struct stat st;
	char why[160];
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return;
		snprintf(why, sizeof why, "lstat: %s", strerror(errno));
		die(2, "listen unix", path, why);
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, sizeof why, "the path is %s, not a socket; leaving it alone", describe(st.st_mode));
		die(2, "listen unix", path, why);
	}
	int probe = socket(AF_UNIX, type | SOCK_NONBLOCK, 0); // a socket of another type would be refused anyway
	if (probe < 0)
		die(1, "socket", "", strerror(errno));
	int refused = connect(probe, (const struct sockaddr *)sa, sizeof *sa) < 0 ? errno : 0;
	close(probe);
	if (refused == 0 || refused == EAGAIN)
		die(2, "listen unix", path, "a server is already listening there");
	if (refused != ECONNREFUSED) {
		snprintf(why, sizeof why, "cannot tell whether the socket there is in use, so leaving it alone: connect: %s",
			 strerror(refused));
		die(2, "listen unix", path, why);
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(why, sizeof why, "removing stale socket: %s", strerror(errno));
		die(2, "listen unix", path, why);
	}
	fprintf(stderr, "epoll-echo: removed stale socket %s\n", path);
}

// listen_unix binds a socket of type (SOCK_STREAM, SOCK_SEQPACKET or SOCK_DGRAM) to the file path; word is
// its name in ready lines and errors: unix, seqpacket or datagram.
static void listen_unix(const char *path, mode_t mode, int type, const char *word) {
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char why[160], op[32];
	snprintf(op, sizeof op, "listen %s", word);
	if (path[0] == '@')
		die(2, op, path, "abstract socket names are not supported; give a file path");
	if (strlen(path) > MAX_PATH_LEN) {
		snprintf(why, sizeof why, "path is %zu bytes, longer than the %d-byte limit for a socket path", strlen(path),
			 MAX_PATH_LEN);
		die(2, op, path, why);
	}
	strcpy(sa.sun_path, path);
	clear_stale(path, &sa, type);
	int fd = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die(1, "socket", "", strerror(errno));
	mode_t old = umask(0777 & ~mode); // the file is never more open than mode
	int bound = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	int bind_errno = errno;
	umask(old);
	if (bound < 0) {
		snprintf(why, sizeof why, "bind: %s", strerror(bind_errno));
		die(2, op, path, why);
	}
	struct stat st;
	if (lstat(path, &st) < 0)
		die(1, "lstat", path, strerror(errno));
	files[nfiles++] = (struct socket_file){.path = path, .dev = st.st_dev, .ino = st.st_ino};
	if (type == SOCK_DGRAM) {
		// a reply waits at most 1 s for a sender whose queue is full, then is dropped: one slow sender
		// cannot stop the loop for longer (sends block, receives do not: MSG_DONTWAIT)
		struct timeval limit = {.tv_sec = 1};
		int flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0
		    || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0)
			die(1, "setsockopt", path, strerror(errno));
		watch(listeners[nlisteners++] = new_conn(DATAGRAMS, fd, 0), EPOLLIN, EPOLL_CTL_ADD);
	} else {
		if (listen(fd, SOMAXCONN) < 0)
			die(2, op, path, strerror(errno));
		watch(listeners[nlisteners++] = new_conn(LISTENER, fd, 0), EPOLLIN, EPOLL_CTL_ADD);
	}
	char *abs = realpath(path, NULL);
	printf("listening %s:%s\n", word, abs ? abs : path);
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
	watch(listeners[nlisteners++] = new_conn(LISTENER, fd, 1), EPOLLIN, EPOLL_CTL_ADD);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char name[INET6_ADDRSTRLEN], port[8];
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	getnameinfo((struct sockaddr *)&ss, sl, name, sizeof name, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
	printf(ss.ss_family == AF_INET6 ? "listening tcp:[%s]:%s\n" : "listening tcp:%s:%s\n", name, port);
}

// drop_listener closes a listener at shutdown. Its struct stays (an event for it may still be in the
// batch epoll_wait returned); it is marked closed instead of freed.
static void drop_listener(struct conn *l) {
	close(l->fd);
	l->fd = -1;
}

static void drop(struct conn *c) {
	close(c->fd); // also removes it from the epoll set
	free(c->pending);
	free(c);
	open_conns--;
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

// echo_datagrams sends each datagram waiting on the socket back to its sender.
static void echo_datagrams(struct conn *d) {
	for (;;) {
		struct sockaddr_un from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom(d->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				fprintf(stderr, "epoll-echo: recvfrom: %s\n", strerror(errno));
			return;
		}
		if (fromlen <= sizeof(sa_family_t)) { // an unbound sender: no address to answer
			fprintf(stderr, "epoll-echo: datagram from an unbound sender dropped (%ld dropped)\n", ++dropped);
			continue;
		}
		while (sendto(d->fd, buf, n, 0, (struct sockaddr *)&from, fromlen) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "epoll-echo: sendto: %s: reply dropped (%ld dropped)\n", strerror(errno), ++dropped);
			break;
		}
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

// parse_mode reads octal permission bits, 0000 to 0777.
static mode_t parse_mode(const char *text) {
	char *end;
	long mode = strtol(text, &end, 8);
	if (!*text || *end || *text == '-' || *text == '+' || mode > 0777)
		usage_error("--mode: want octal permission bits from 0000 to 0777, got ", text);
	return (mode_t)mode;
}

// parse_duration reads a Go duration ("5s", "250ms", "1m30s", "1.5s", "0") into milliseconds.
static long parse_duration(const char *text) {
	static const struct { const char *unit; double ms; } units[] = {
		{"ns", 1e-6}, {"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}};
	double total = 0;
	const char *p = text;
	if (!strcmp(text, "0"))
		return 0;
	if (!*p)
		usage_error("--grace: invalid duration, want e.g. 5s, 250ms, 1m: ", text);
	while (*p) {
		char *end;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			usage_error("--grace: invalid duration, want e.g. 5s, 250ms, 1m: ", text);
		double n = strtod(p, &end);
		size_t i = 0, nunits = sizeof units / sizeof units[0];
		while (i < nunits && strncmp(end, units[i].unit, strlen(units[i].unit)))
			i++;
		if (end == p || i == nunits)
			usage_error("--grace: invalid duration, want e.g. 5s, 250ms, 1m: ", text);
		total += n * units[i].ms;
		p = end + strlen(units[i].unit);
	}
	return (long)(total + 0.5);
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

// stop is the first signal: no more accepting, the socket files go; the open connections may finish.
static void stop(const char *why) {
	remove_files();
	for (int i = 0; i < nlisteners; i++)
		drop_listener(listeners[i]);
	nlisteners = 0;
	fprintf(stderr, "epoll-echo: %s: shutting down: %ld connections open\n", why, open_conns);
}

int main(int argc, char **argv) {
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	// Blocked signals are queued even where the disposition is an inherited SIG_IGN (a background job of a
	// non-interactive shell ignores SIGINT): the signalfd still reads them.
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((ep = epoll_create1(0)) < 0)
		die(1, "epoll_create1", "", strerror(errno));
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
	if (sfd < 0)
		die(1, "signalfd", "", strerror(errno));
	watch(new_conn(SIGNALS, sfd, 0), EPOLLIN, EPOLL_CTL_ADD);

	// Flags as Go's flag package reads them: -name or --name, the value as the next word or after '='.
	const char *endpoints[MAX_LISTENERS];
	int kinds[MAX_LISTENERS], nendpoints = 0; // 0 unix, 1 tcp, 2 seqpacket, 3 datagram
	mode_t mode = 0600;
	long grace_ms = 5000;
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i], *value = NULL;
		if (name[0] != '-')
			usage_error("unexpected argument ", name);
		name += name[1] == '-' ? 2 : 1;
		char flag[16];
		size_t len = strcspn(name, "=");
		if (len >= sizeof flag)
			usage_error("flag provided but not defined: ", argv[i]);
		memcpy(flag, name, len);
		flag[len] = 0;
		if (name[len] == '=')
			value = name + len + 1;
		if (!strcmp(flag, "h") || !strcmp(flag, "help")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(flag, "version")) {
			puts("epoll-echo 0.1.0");
			return 0;
		}
		if (strcmp(flag, "unix") && strcmp(flag, "tcp") && strcmp(flag, "seqpacket") && strcmp(flag, "datagram")
		    && strcmp(flag, "mode") && strcmp(flag, "grace"))
			usage_error("flag provided but not defined: ", argv[i]);
		if (!value && i + 1 == argc)
			usage_error("flag needs an argument: ", argv[i]);
		if (!value)
			value = argv[++i];
		if (!strcmp(flag, "mode")) {
			mode = parse_mode(value);
		} else if (!strcmp(flag, "grace")) {
			grace_ms = parse_duration(value);
		} else {
			if (nendpoints == MAX_LISTENERS)
				usage_error("too many listeners: at most 16, got more at ", value);
			if (!*value)
				usage_error("empty address for ", argv[i]);
			kinds[nendpoints] = !strcmp(flag, "tcp") ? 1 : !strcmp(flag, "seqpacket") ? 2 : !strcmp(flag, "datagram") ? 3 : 0;
			endpoints[nendpoints++] = value;
		}
	}
	if (!nendpoints)
		usage_error("at least one --unix, --tcp, --seqpacket or --datagram is required", "");
	for (int i = 0; i < nendpoints; i++) {
		if (kinds[i] == 1)
			listen_tcp(endpoints[i]);
		else if (kinds[i] == 2)
			listen_unix(endpoints[i], mode, SOCK_SEQPACKET, "seqpacket");
		else if (kinds[i] == 3)
			listen_unix(endpoints[i], mode, SOCK_DGRAM, "datagram");
		else
			listen_unix(endpoints[i], mode, SOCK_STREAM, "unix");
	}
	fflush(stdout);

	struct epoll_event events[256];
	long deadline = -1; // set by the first signal: when the grace period is over
	for (;;) {
		int timeout = deadline < 0 ? -1 : (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 0);
		int n = epoll_wait(ep, events, 256, timeout);
		if (n < 0 && errno != EINTR)
			die(1, "epoll_wait", "", strerror(errno));
		for (int i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;
			if (c->kind == SIGNALS) {
				struct signalfd_siginfo si;
				while (read(sfd, &si, sizeof si) == sizeof si) {
					const char *name = si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT";
					if (deadline >= 0) {
						fprintf(stderr, "epoll-echo: %s again: closing %ld connections now\n", name, open_conns);
						return 0;
					}
					stop(name);
					deadline = now_ms() + grace_ms;
				}
				continue;
			}
			if (c->kind == LISTENER) {
				if (c->fd >= 0) // not closed by a signal earlier in this batch
					accept_all(c);
			} else if (c->kind == DATAGRAMS) {
				if (c->fd >= 0)
					echo_datagrams(c);
			} else
				serve(c, events[i].events);
		}
		if (deadline >= 0 && open_conns == 0)
			return 0;
		if (deadline >= 0 && now_ms() >= deadline) {
			fprintf(stderr, "epoll-echo: grace period over: closing %ld connections\n", open_conns);
			return 0;
		}
	}
}
