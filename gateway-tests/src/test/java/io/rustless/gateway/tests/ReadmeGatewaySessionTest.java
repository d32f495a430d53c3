package io.rustless.gateway.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.testing.services.DebianPackages;
import io.rustless.testing.services.LocalService;
import io.rustless.testservices.DebianRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's gateway section, run as it is written: its commands (the embedded registry, two
 * pushes, the gateway) as processes of {@code ./rustless}, its curl session with a real curl, the
 * output compared with the README's. Only the ports differ (free ones instead of 5000, 10000 and
 * 8080, which other programs may hold), and the {@code Date} header. It runs twice: with the
 * README's registry ({@code ./rustless registry}, anonymous), and with Debian's {@code
 * docker-registry} requiring a user and password, which {@code push} and {@code gateway} are then
 * given ({@code --username}, {@code --password}).
 */
class ReadmeGatewaySessionTest {
  private static final String USER = "rustless";
  private static final String PASSWORD = "gateway:s3cret";
  private static final Path CHECKOUT =
      Path.of(System.getProperty("rustless.checkout", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;
  final List<Running> running = new ArrayList<>();
  DebianRegistry debianRegistry;

  /** Where the images are pushed and pulled from. */
  enum Registry {
    /** {@code ./rustless registry}, as the README starts it: no credentials. */
    README_EMBEDDED,
    /** Debian's docker-registry with htpasswd: every push and pull authenticates. */
    DEBIAN_WITH_CREDENTIALS
  }

  /** A background process and what it printed. */
  record Running(Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Running r : running) {
      r.process.destroy();
    }
    for (Running r : running) {
      if (!r.process.waitFor(20, TimeUnit.SECONDS)) {
        r.process.destroyForcibly();
      }
    }
    if (debianRegistry != null) {
      debianRegistry.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Registry.class)
  void theReadmeSessionGivesWhatTheReadmeShows(Registry registry) throws Exception {
    Path curl = DebianPackages.require("curl", "/usr/bin/curl");
    String section = section(Files.readString(CHECKOUT.resolve("README.md")));
    List<String> blocks = codeBlocks(section);
    assertThat(blocks).as("code blocks of the gateway section").hasSizeGreaterThanOrEqualTo(5);
    String setup = blocks.get(0);
    String pluginsYaml = blocks.get(1);
    String ingressesYaml = blocks.get(2);
    String startLog = blocks.get(3);
    String session = blocks.get(4);

    // The README shows the example files as they are.
    Path examples = CHECKOUT.resolve("examples/gateway");
    assertThat(pluginsYaml).isEqualTo(Files.readString(examples.resolve("plugins.yaml")).strip());
    assertThat(ingressesYaml)
        .isEqualTo(Files.readString(examples.resolve("ingresses.yaml")).strip());

    boolean credentials = registry == Registry.DEBIAN_WITH_CREDENTIALS;
    if (credentials) {
      debianRegistry =
          DebianRegistry.builder()
              .directory(tmp.resolve("docker-registry"))
              .htpasswd(USER, PASSWORD)
              .programs(DebianPackages::require)
              .start();
    }
    Map<String, String> ports =
        Map.of(
            "127.0.0.1:5000",
            credentials ? debianRegistry.host() : "127.0.0.1:" + LocalService.freePort(),
            "127.0.0.1:10000",
            "127.0.0.1:" + LocalService.freePort(),
            "127.0.0.1:8080",
            "127.0.0.1:" + LocalService.freePort());
    // The resources with the registry's port, in a directory named as the README's.
    Path resources = tmp.resolve("examples/gateway");
    Files.createDirectories(resources);
    for (String f : List.of("plugins.yaml", "ingresses.yaml")) {
      Files.writeString(
          resources.resolve(f), substitute(Files.readString(examples.resolve(f)), ports));
    }

    for (String line : setup.lines().toList()) {
      String command = substitute(line.strip(), ports);
      if (command.isEmpty() || command.startsWith("#")) {
        continue;
      }
      boolean background = command.endsWith("&");
      if (background) {
        command = command.substring(0, command.length() - 1).strip();
      }
      if (command.equals("./rustless registry")) {
        if (credentials) {
          continue; // the test started docker-registry instead
        }
        // The registry's default address is 5000: the test gives it the free port instead.
        command += " --listen " + ports.get("127.0.0.1:5000");
      }
      List<String> args = new ArrayList<>(List.of(command.split(" +")));
      assertThat(args.get(0)).as(command).isEqualTo("./rustless");
      if (credentials && List.of("push", "gateway").contains(args.get(1))) {
        args.addAll(List.of("--username", USER, "--password", PASSWORD));
      }
      args.set(0, CHECKOUT.resolve("rustless").toString());
      if (background) {
        Running r = start(args, tmp);
        awaitStdout(r, "127.0.0.1:", 180); // each prints its address when it is up
      } else {
        Running r = start(args, tmp);
        assertThat(r.process.waitFor(180, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(r.process.exitValue()).as(command + "\n" + r.stderr()).isZero();
      }
    }
    Running gateway = running.get(running.size() - 1);

    // The curl session, command by command.
    List<String[]> steps = steps(session);
    assertThat(steps).hasSizeGreaterThanOrEqualTo(5);
    for (String[] step : steps) {
      String command = substitute(step[0], ports).replaceFirst("^curl ", curl + " ");
      Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String actual = out.replace("\r\n", "\n").replaceAll("(?m)^Date: .*$", "Date: …").strip();
      assertThat(actual)
          .as("$ " + step[0] + "\ngateway log:\n" + gateway.stderr())
          .isEqualTo(step[1]);
    }

    // The start-up lines the README shows, in order ("…" stands for digests and hashes).
    String log = gateway.stderr();
    int from = 0;
    for (String expected : startLog.lines().toList()) {
      String e = substitute(expected, ports);
      Matcher m = wildcard(e).matcher(log);
      assertThat(m.find(from)).as("log line %s after offset %d in:%n%s", e, from, log).isTrue();
      from = m.end();
    }
  }

  private Running start(List<String> args, Path dir) throws IOException {
    int n = running.size();
    Path out = tmp.resolve("out-" + n + ".txt");
    Path err = tmp.resolve("err-" + n + ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(args)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("RUSTLESS_REPO", CHECKOUT.toString());
    Running r = new Running(pb.start(), out, err);
    running.add(r);
    return r;
  }

  private static void awaitStdout(Running r, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (r.stdout().contains(text)) {
        return;
      }
      if (!r.process.isAlive()) {
        throw new AssertionError("the process ended: " + r.stderr());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never printed " + text + ": " + r.stderr());
  }

  static String substitute(String text, Map<String, String> ports) {
    String s = text;
    for (Map.Entry<String, String> e : ports.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  private static Pattern wildcard(String line) {
    StringBuilder re = new StringBuilder();
    for (String part : line.split("…", -1)) {
      if (re.length() > 0) {
        re.append("[^\\n]*?");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }

  /** The README's gateway section. */
  static String section(String readme) {
    int start = readme.indexOf("\n## The gateway");
    assertThat(start).as("README has a '## The gateway' section").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** The fenced code blocks, in order, without their fences. */
  static List<String> codeBlocks(String text) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```").matcher(text);
    while (m.find()) {
      blocks.add(m.group(1).strip());
    }
    return blocks;
  }

  /** {@code $ command} lines and the output under each. */
  static List<String[]> steps(String session) {
    List<String[]> steps = new ArrayList<>();
    String command = null;
    StringBuilder output = new StringBuilder();
    for (String line : session.lines().toList()) {
      if (line.startsWith("$ ")) {
        if (command != null) {
          steps.add(new String[] {command, output.toString().strip()});
        }
        command = line.substring(2);
        output.setLength(0);
      } else {
        output.append(line).append('\n');
      }
    }
    if (command != null) {
      steps.add(new String[] {command, output.toString().strip()});
    }
    return steps;
  }
}
