// SPDX-License-Identifier: Apache-2.0
// EchoServerCommand: the command line of the echo server: options, ready lines, exit status.
package dev.udsinterop.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code uds-echo-server}: runs an {@link EchoServer} (stream sockets on paths and TCP) and a
 * {@link MessageServer} (seqpacket, datagram and abstract-name sockets, Java 22+) until SIGTERM or SIGINT.
 *
 * <p>Once every listener is bound it prints one line per listener on standard output,
 * {@code listening unix:/abs/path}, {@code listening tcp:HOST:PORT}, {@code listening seqpacket:ADDR}
 * or {@code listening datagram:ADDR}: --unix and --tcp in the order given, then --seqpacket, then --datagram;
 * everything else goes
 * to standard error. Exit status: 0 after a clean shutdown, 2 for bad usage or a refused
 * configuration (one line on standard error, no stack trace), 1 for anything unexpected.
 */
@Command(name = "uds-echo-server", mixinStandardHelpOptions = true, versionProvider = EchoServerCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "A stream echo server on Unix domain sockets and TCP: every byte a client sends comes back, in order, "
                + "until the client's EOF; then the rest is sent and the connection closed (half-close works).",
            "Prints 'listening unix:PATH' or 'listening tcp:HOST:PORT' (and seqpacket:ADDR, datagram:ADDR) on stdout, "
                + "one line per listener, once every listener is bound. Logs go to stderr.",
            ""},
        footerHeading = "%n",
        footer = {
            "On SIGTERM or SIGINT: stop accepting, remove the socket files, let open connections finish for up to "
                + "--grace, exit 0; a second signal stops at once.",
            "A stale socket file at PATH (nobody accepts there) is replaced; anything else at PATH (a live server, "
                + "a file, a directory, a symbolic link) is refused and kept.",
            "ADDR is a path or @NAME, a name in Linux's abstract namespace: no file; a name in use is refused (exit 2). "
                + "On --unix and --seqpacket, descriptors sent with bytes (SCM_RIGHTS, up to 8 a message) come back "
                + "with their echo, then are closed. A datagram from an unbound sender is dropped and logged. Seqpacket, "
                + "datagram, abstract names and descriptors need Java 22+.",
            "Try it with OpenBSD netcat: echo \"I'm a Kungfu Dev\" | nc -U -N /tmp/echo.sock. Without -N, nc does "
                + "not half-close when its input ends: the line comes back, then nc waits for the server's EOF, which a "
                + "stream echo sends only after the client's, so it hangs (socat - UNIX-CONNECT:PATH half-closes too).",
            "Exit status: 0 clean shutdown, 1 unexpected failure, 2 bad usage or a refused configuration."})
public final class EchoServerCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(EchoServerCommand.class.getName());

    /** The --unix and --tcp values in the order given, then --seqpacket and --datagram: the order of the ready lines. */
    private final List<String[]> listen = new ArrayList<>();

    @Option(names = "--unix", paramLabel = "PATH",
            description = "Listen on a Unix domain socket at PATH, or on the abstract name @NAME (Java 22+) (repeatable).")
    private void unix(String path) {
        listen.add(new String[] {"unix", path});
    }



    @Option(names = "--tcp", paramLabel = "HOST:PORT",
            description = "Listen on TCP (repeatable). Port 0 picks a free port; IPv6 as [::1]:0.")
    private void tcp(String address) {
        listen.add(new String[] {"tcp", address});
    }

    // Fields, not setters as --unix and --tcp: picocli lists method options in reflection order, which is not stable.
    @Option(names = "--seqpacket", paramLabel = "ADDR",
            description = "Listen for SOCK_SEQPACKET connections at a path or @NAME; each message comes back as one "
                + "message (repeatable; Java 22+).")
    private List<String> seqpackets = new ArrayList<>();

    @Option(names = "--datagram", paramLabel = "ADDR",
            description = "Echo SOCK_DGRAM datagrams at a path or @NAME back to their senders (repeatable; Java 22+).")
    private List<String> datagrams = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "0600",
            description = "Permissions of the socket files, octal (default: ${DEFAULT-VALUE}). Connecting needs write permission.")
    private String mode;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long open connections may finish after SIGTERM/SIGINT, e.g. 5s, 250ms, 1m (default: ${DEFAULT-VALUE}).")
    private Duration grace;

    @Option(names = "--loops", paramLabel = "N", description = "Event loop threads (default: the number of CPUs).")
    private int loops = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Serve at most N connections at once; a client beyond them is closed at once (default: no limit).")
    private int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a connection on which no byte moved for DURATION, e.g. 30s (default: never).")
    private Duration idleTimeout = Duration.ZERO;

    @Option(names = "--allow-uid", paramLabel = "UID", split = ",",
            description = "Serve only peers running as these user ids (repeatable or comma-separated), checked "
                + "with SO_PEERCRED; others are closed at once and logged. Unix sockets only (default: whoever "
                + "the socket file's mode lets in).")
    private List<Integer> allowUids = new ArrayList<>();

    @Option(names = "--idle", paramLabel = "STRATEGY", converter = IdleConverter.class,
            description = "What an event loop does when it has nothing to do: block (wait in epoll_wait, no CPU), "
                + "adaptive (poll with selectNow for 50 us after it did work, then block) or spin (poll while it "
                + "has a connection: a core per loop) (default: ${DEFAULT-VALUE}; measured: docs/benchmark.md).")
    private Idle idle = Idle.DEFAULT;

    @Option(names = {"-v", "--verbose"}, description = "Log each connection error to stderr.")
    private boolean verbose;

    private final PrintStream out;

    EchoServerCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new EchoServerCommand(System.out))
                .setOverwrittenOptionsAllowed(true) // --unix and --tcp repeat; their setters append
                .setParameterExceptionHandler(EchoServerCommand::usageError)
                .setExecutionExceptionHandler(EchoServerCommand::failure)
                .execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        configureLogging(verbose);
        seqpackets.forEach(a -> listen.add(new String[] {"seqpacket", a})); // their ready lines after --unix and --tcp
        datagrams.forEach(a -> listen.add(new String[] {"datagram", a}));
        List<ListenAddress> addresses = new ArrayList<>();
        List<MessageAddress> messageAddresses = new ArrayList<>(); // served by MessageServer, not the stream path
        for (String[] option : listen) {
            switch (option[0]) {
                case "unix" -> {
                    if (MessageAddress.isAbstract(option[1])) {
                        messageAddresses.add(MessageAddress.of(MessageAddress.Kind.STREAM, option[1]));
                    } else {
                        addresses.add(new ListenAddress.Unix(SocketPath.of(option[1])));
                    }
                }
                case "seqpacket" -> messageAddresses.add(MessageAddress.of(MessageAddress.Kind.SEQPACKET, option[1]));
                case "datagram" -> messageAddresses.add(MessageAddress.of(MessageAddress.Kind.DATAGRAM, option[1]));
                default -> addresses.add(ListenAddress.Tcp.parse(option[1]));
            }
        }
        SocketMode socketMode = SocketMode.parse(mode);
        Admission admission = admission(addresses);

        Shutdown shutdown = Shutdown.onSignals(); // before binding: a signal during start-up is not lost
        boolean streams = !addresses.isEmpty() || messageAddresses.isEmpty(); // none at all: EchoServer says what is missing
        try (MessageServer messages = MessageServer.start(messageAddresses, socketMode);
             EchoServer server = streams ? EchoServer.start(addresses, socketMode, loops, admission, idle, shutdown::fail)
                     : null) {
            // Only for exits that bypass the orderly path below; after it, the files are gone and nothing is removed again.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                messages.stopAccepting();
                if (server != null) {
                    server.stopAccepting();
                }
            }, "remove-socket-files"));
            readyLines(server, messages).forEach(out::println);
            out.flush();

            shutdown.await();
            if (shutdown.failure() != null) {
                throw new IllegalStateException("event loop failed", shutdown.failure());
            }
            if (server == null) {
                stopMessages(messages, shutdown);
                return 0;
            }
            LOG.log(System.Logger.Level.INFO, "{0}: stopping, {1} connection(s) open, grace {2} ms",
                    shutdown.reason(), server.connections() + messages.connections(), String.valueOf(grace.toMillis()));
            shutdown.onRepeat(() -> {
                messages.close();
                server.close();
            }); // first: a second signal also ends a slow stopAccepting
            messages.stopAccepting();
            server.stopAccepting();
            long start = System.nanoTime();
            boolean drained = server.awaitDrained(grace);
            if (!drained || !messages.awaitDrained(grace.minusNanos(System.nanoTime() - start))) {
                LOG.log(System.Logger.Level.INFO, "grace period over: closing {0} connection(s)",
                        server.connections() + messages.connections());
            }
        }
        return 0;
    }

    /** Stops a server that has only message sockets, as the stream server stops. */
    private void stopMessages(MessageServer messages, Shutdown shutdown) throws InterruptedException {
        LOG.log(System.Logger.Level.INFO, "{0}: stopping, {1} connection(s) open, grace {2} ms",
                shutdown.reason(), messages.connections(), String.valueOf(grace.toMillis()));
        shutdown.onRepeat(messages::close);
        messages.stopAccepting();
        if (!messages.awaitDrained(grace)) {
            LOG.log(System.Logger.Level.INFO, "grace period over: closing {0} connection(s)", messages.connections());
        }
    }

    /** Returns the ready lines in the order the options gave the addresses, from the server that serves each. */
    private List<String> readyLines(EchoServer server, MessageServer messages) {
        var streamLines = (server == null ? List.<Object>of() : List.<Object>copyOf(server.endpoints())).iterator();
        var messageLines = messages.readyLines().iterator();
        List<String> lines = new ArrayList<>();
        for (String[] option : listen) {
            boolean stream = option[0].equals("tcp") || option[0].equals("unix") && !MessageAddress.isAbstract(option[1]);
            lines.add(stream ? "listening " + streamLines.next() : messageLines.next());
        }
        return lines;
    }

    private Admission admission(List<ListenAddress> addresses) {
        if (maxConnections < 0) {
            throw new ConfigurationException("--max-connections " + maxConnections + ": want 0 (no limit) or more");
        }
        if (!allowUids.isEmpty()) {
            if (addresses.stream().anyMatch(a -> a instanceof ListenAddress.Tcp)) {
                throw new ConfigurationException("--allow-uid: a TCP peer has no user id to check; use it with --unix only");
            }
            for (int uid : allowUids) {
                if (uid < 0) {
                    throw new ConfigurationException("--allow-uid " + uid + ": not a user id");
                }
            }
            UserId.check("--allow-uid"); // numbers are compared as numbers, never looked up as names
        }
        return new Admission(maxConnections, new HashSet<>(allowUids), idleTimeout);
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        e.getCommandLine().getErr().println("uds-echo-server: " + e.getMessage() + " (see --help)");
        return 2;
    }

    private static int failure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof ConfigurationException) {
            commandLine.getErr().println("uds-echo-server: " + e.getMessage());
            return 2;
        }
        commandLine.getErr().println("uds-echo-server: unexpected failure: " + e);
        e.printStackTrace(commandLine.getErr());
        return 1;
    }

    private static void configureLogging(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler(); // standard error
        handler.setFormatter(new SimpleFormatter() {
            @Override
            public String format(java.util.logging.LogRecord r) {
                return "uds-echo-server: " + formatMessage(r) + System.lineSeparator();
            }
        });
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        root.addHandler(handler);
        Logger.getLogger("dev.udsinterop").setLevel(level);
    }

    /** Parses durations such as {@code 5s}, {@code 250ms}, {@code 1m}, {@code 0} or ISO-8601 {@code PT5S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text);
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                try {
                    d = Duration.parse(text);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (want e.g. 5s, 250ms, 1m)");
                }
            }
            if (d.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + text + "' is negative");
            }
            return d;
        }
    }

    /** Parses {@code block}, {@code spin} or {@code adaptive}. */
    static final class IdleConverter implements CommandLine.ITypeConverter<Idle> {
        @Override
        public Idle convert(String text) {
            try {
                return Idle.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = EchoServerCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"uds-echo-server " + p.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
