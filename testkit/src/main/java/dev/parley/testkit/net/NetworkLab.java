package dev.parley.testkit.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small internet on this machine, built from Linux network namespaces, for tests that prove peers
 * connect across NATs: public hosts (where the server and the TURN relay run) and routers of
 * {@linkplain Site sites} share one bridge, the "internet", in a namespace of its own; behind each
 * router, hosts on a private LAN run the clients.
 *
 * <pre>{@code
 * try (NetworkLab lab = NetworkLab.create()) {
 *   Host server = lab.publicHost("server", "203.0.113.10");
 *   Site alice = lab.site("alice", NatKind.HOME);
 *   Site bob = lab.site("bob", NatKind.SYMMETRIC);
 *   LabProcess relay = lab.start(server.namespace(), List.of("turnserver", ...), Map.of(), dir, log);
 *   lab.awaitTcpPort(alice.host().namespace(), server.address(), 3478, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> Public addresses come from the documentation range 203.0.113.0/24 only;
 * routers take theirs from .101 up, so give public hosts lower ones. LANs are 192.168.N.0/24, one N
 * per site, router .1, hosts .10 up; no two sites share a subnet, so a private address never leads
 * to the wrong host. No interface of the lab is in the machine's own namespace, and nothing leads
 * out of 203.0.113.0/24: public hosts have no route beyond it, and routers (whose default route is
 * their WAN, as at home) reject what is outside it. So the lab cannot reach the machine or anything
 * beyond (a connection fails with "network unreachable": at once from a public host, within about a
 * second from behind a router), and nothing outside can reach the lab. That includes the test JVM
 * itself, which talks to programs in the lab only through their stdin, stdout and stderr, pipes and
 * files; it cannot open a socket into the lab. The lab is IPv4 only.
 *
 * <p><b>Cleanup.</b> Every namespace is named {@code plab-<pid>-<n>-<role>}. {@link #close()} (and
 * a shutdown hook, if the JVM exits without it) stops the programs the lab started, kills by pid
 * whatever else still runs in its namespaces, and deletes them, which deletes their interfaces.
 * {@link #create()} deletes namespaces that a lab of a JVM that is no longer alive left behind, and
 * nothing else.
 *
 * <p>Needs root and Debian's iproute2, iptables and conntrack; every command it runs has a timeout,
 * and a failure throws a {@link LabCommandException} with the command and its stderr.
 */
public final class NetworkLab implements AutoCloseable {
  /** The internet of the lab: a documentation range, so it never clashes with a real network. */
  static final String INTERNET_SUBNET = "203.0.113.0/24";

  private static final System.Logger log = System.getLogger(NetworkLab.class.getName());
  private static final AtomicInteger LABS = new AtomicInteger();
  private static final Executor VIRTUAL_THREADS = runnable -> Thread.ofVirtual().start(runnable);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");
  private static final Pattern PUBLIC_ADDRESS = Pattern.compile("203\\.0\\.113\\.(\\d{1,3})");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private static final int FIRST_ROUTER_ADDRESS = 101;
  private static final String INTERNET = "internet";

  private final Shell shell;
  private final Namespaces namespaces;
  private final Wiring wiring;
  private final String prefix;
  private final Namespace internet;
  private final List<Namespace> created = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final Set<Integer> publicAddresses = new HashSet<>();
  private final Set<Host> publicHosts = new HashSet<>();
  private final List<LabProcess> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "network-lab-shutdown");
  private int bridgePorts;
  private int sites;
  private boolean closed;

  private NetworkLab(Shell shell, String prefix) {
    this.shell = shell;
    this.namespaces = new Namespaces(shell);
    this.wiring = new Wiring(shell, namespaces);
    this.prefix = prefix;
    this.internet = new Namespace(prefix + INTERNET);
  }

  /**
   * Builds an empty internet, after deleting what crashed labs left behind.
   *
   * @throws IllegalStateException if the JVM is not root or a tool is missing, in one line that
   *     names what is needed
   */
  public static NetworkLab create() {
    Shell shell = Shell.forRoot();
    new Namespaces(shell).deleteStale();
    NetworkLab lab = new NetworkLab(shell, Namespaces.prefix(LABS.incrementAndGet()));
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    try {
      lab.wiring.internet(lab.namespace(INTERNET));
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    log.log(System.Logger.Level.INFO, "Built network lab {0}*", lab.prefix);
    return lab;
  }

  /**
   * Adds a machine with a public address straight on the internet, without NAT or firewall.
   *
   * @param name a short name: a lowercase letter, then up to 11 lowercase letters or digits
   * @param address an address of 203.0.113.0/24 that no other machine of the lab has
   */
  public synchronized Host publicHost(String name, String address) {
    requireName(name);
    claimPublicAddress(address);
    Namespace namespace = namespace(name);
    wiring.plugIntoInternet(internet, bridgePort(), namespace, Wiring.HOST_DEVICE, address);
    Host host = new Host(name, namespace, address);
    publicHosts.add(host);
    return host;
  }

  /** Gives a public host a further public address, for tests that need two. */
  public synchronized void addAddress(Host host, String address) {
    if (!publicHosts.contains(host)) {
      throw new IllegalArgumentException(host + " is not a public host of this lab");
    }
    claimPublicAddress(address);
    wiring.addAddress(host.namespace(), address);
  }

  /**
   * Adds a site: a router with the next free public address from 203.0.113.101 up, translating as
   * {@code nat} says, and one host on its LAN.
   *
   * @param name a short name: a lowercase letter, then up to 11 lowercase letters or digits
   */
  public synchronized Site site(String name, NatKind nat) {
    requireName(name);
    if (sites == 254) {
      throw new IllegalStateException("a lab has at most 254 sites");
    }
    int number = ++sites;
    Namespace router = namespace(name + "-r");
    String publicAddress = "203.0.113." + nextRouterAddress();
    wiring.plugIntoInternet(internet, bridgePort(), router, Wiring.WAN, publicAddress);
    Site site = new Site(name, router, publicAddress, "192.168." + number + ".", nat);
    wiring.router(router, site.gateway());
    wiring.applyNat(router, nat);
    addHost(site, name);
    return site;
  }

  /** Adds a host to a site's LAN, at the next private address (.10, .11, ...). */
  public synchronized Host addHost(Site site, String name) {
    requireName(name);
    if (site.hosts().stream().anyMatch(host -> host.name().equals(name))) {
      throw new IllegalArgumentException(site.name() + " already has a host named " + name);
    }
    int number = site.hosts().size() + 1;
    Namespace namespace = namespace(site.name() + "-h" + number);
    String address = site.nextHostAddress();
    wiring.plugIntoLan(site.router(), number, namespace, address, site.gateway());
    Host host = new Host(name, namespace, address);
    site.add(host);
    return host;
  }

  /**
   * Makes a site's router translate and filter as {@code nat} says, from now on: its rules are
   * replaced and the connections it tracked are forgotten, so a suite can reuse one topology for
   * cases that need different NATs. Sockets that programs in the site hold stay open.
   */
  public synchronized void changeNat(Site site, NatKind nat) {
    wiring.applyNat(site.router(), nat);
    site.nat(nat);
  }

  /**
   * Runs a short command in {@code namespace} and returns its stdout, for looking at the lab
   * ({@code conntrack -L}, {@code ip addr}, {@code iptables -S}).
   *
   * @throws LabCommandException if it fails or takes longer than 10 s
   */
  public String exec(Namespace namespace, String... command) {
    return shell.exec(namespace, List.of(command), null, Shell.TIMEOUT);
  }

  /**
   * Starts a program in {@code namespace}; the lab stops it on {@link #close()} if the test did
   * not.
   *
   * @param env variables added to (or replacing those of) the test JVM's environment
   * @param workDir the program's working directory
   * @param logFile where its stdout and stderr go; created, with its directory, if missing
   */
  public LabProcess start(
      Namespace namespace,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Path logFile) {
    ProcessBuilder builder =
        new ProcessBuilder(shell.inNamespace(namespace, command)).directory(workDir.toFile());
    builder.environment().putAll(env);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the lab is closed");
      }
      LabProcess process = LabProcess.start(namespace, builder, logFile);
      processes.add(process);
      return process;
    }
  }

  /**
   * Waits until {@code address:port} accepts TCP connections from {@code from}, trying every 50 ms.
   *
   * @throws LabCommandException if it does not within {@code timeout}
   */
  public void awaitTcpPort(Namespace from, String address, int port, Duration timeout) {
    if (!IPV4.matcher(address).matches() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not an IPv4 address and port: " + address + ":" + port);
    }
    // Each attempt connects in a subshell, so that a connection that opens is closed at once.
    String script =
        "until (exec 3<>/dev/tcp/$0/$1) 2>/dev/null; do"
            + " ((SECONDS < $2)) || { echo \"$0:$1 refused connections for $2 s\" >&2; exit 1; };"
            + " sleep 0.05; done";
    long seconds = Math.max(1, timeout.toSeconds());
    List<String> command =
        List.of(
            shell.tool("bash"),
            "-c",
            script,
            address,
            String.valueOf(port),
            String.valueOf(seconds));
    shell.exec(from, command, null, Duration.ofSeconds(seconds + 2));
  }

  /** The namespaces of the lab, the internet's first. */
  public synchronized List<Namespace> namespaces() {
    return List.copyOf(created);
  }

  /** The start of the names of the lab's namespaces, {@code plab-<pid>-<n>-}. */
  public String prefix() {
    return prefix;
  }

  /**
   * Stops the programs the lab started (SIGTERM, then SIGKILL), kills by pid whatever else runs in
   * its namespaces, and deletes them all. Goes on past failures, then throws the first.
   */
  @Override
  public void close() {
    List<LabProcess> running;
    List<Namespace> doomed;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = List.copyOf(processes);
      doomed = List.copyOf(created).reversed();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting, and this very hook is what closes the lab.
    }
    @Nullable RuntimeException failure = stopAll(running);
    for (Namespace namespace : doomed) {
      try {
        namespaces.delete(namespace.name());
      } catch (RuntimeException e) {
        failure = first(failure, e);
      }
    }
    log.log(System.Logger.Level.INFO, "Deleted network lab {0}*", prefix);
    if (failure != null) {
      throw failure;
    }
  }

  /** Stops programs side by side, so that each gets its grace period but the lab waits once. */
  private static @Nullable RuntimeException stopAll(List<LabProcess> running) {
    List<CompletableFuture<Void>> stops =
        running.stream()
            .map(process -> CompletableFuture.runAsync(process::close, VIRTUAL_THREADS))
            .toList();
    @Nullable RuntimeException failure = null;
    for (CompletableFuture<Void> stop : stops) {
      try {
        stop.join();
      } catch (CompletionException e) {
        failure =
            first(
                failure,
                e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new IllegalStateException(e));
      }
    }
    return failure;
  }

  private static RuntimeException first(@Nullable RuntimeException failure, RuntimeException next) {
    if (failure == null) {
      return next;
    }
    failure.addSuppressed(next);
    return failure;
  }

  /** Creates a namespace named for {@code role}, recorded at once so that close() deletes it. */
  private Namespace namespace(String role) {
    String name = prefix + role;
    if (!names.add(name)) {
      throw new IllegalArgumentException("the lab already has a machine named " + role);
    }
    created.add(new Namespace(name));
    return namespaces.create(name);
  }

  private String bridgePort() {
    return "p" + ++bridgePorts;
  }

  private void claimPublicAddress(String address) {
    Matcher matcher = PUBLIC_ADDRESS.matcher(address);
    int last = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    if (last < 1 || last > 254) {
      throw new IllegalArgumentException(
          "a public address of the lab is one of 203.0.113.1 to 203.0.113.254: " + address);
    }
    if (!publicAddresses.add(last)) {
      throw new IllegalArgumentException(address + " is already taken in the lab");
    }
  }

  private int nextRouterAddress() {
    for (int last = FIRST_ROUTER_ADDRESS; last <= 254; last++) {
      if (publicAddresses.add(last)) {
        return last;
      }
    }
    throw new IllegalStateException("no public address left for a router");
  }

  private static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a lab name is a lowercase letter, then up to 11 lowercase letters or digits: " + name);
    }
  }
}
