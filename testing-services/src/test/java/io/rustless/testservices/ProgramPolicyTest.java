package io.rustless.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ProgramPolicyTest {
  private static final String MISSING = "/nonexistent/rustless-no-such-program";

  @Test
  void aPresentProgramIsReturnedByEveryPolicy() {
    for (ProgramPolicy p :
        new ProgramPolicy[] {
          ProgramPolicy.fail(),
          ProgramPolicy.skipUnless(true, "CI"),
          ProgramPolicy.skipUnless(false, "CI")
        }) {
      assertThat(p.require("coreutils", "/bin/true")).isEqualTo(Path.of("/bin/true"));
    }
  }

  @Test
  void failNamesTheProgramAndThePackageToInstall() {
    assertThatThrownBy(() -> ProgramPolicy.fail().require("some-pkg", MISSING))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining(MISSING + " is missing")
        .hasMessageContaining("apt-get install -y some-pkg");
  }

  @Test
  void skipUnlessRequiredSkipsOutsideAndFailsInsideARequiredRun() {
    assertThatThrownBy(
            () ->
                ProgramPolicy.skipUnless(false, "RUSTLESS_CONTAINER_TESTS=required")
                    .require("some-pkg", MISSING))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("not RUSTLESS_CONTAINER_TESTS=required")
        .hasMessageContaining("apt-get install -y some-pkg");
    assertThatThrownBy(
            () ->
                ProgramPolicy.skipUnless(true, "RUSTLESS_CONTAINER_TESTS=required")
                    .require("some-pkg", MISSING))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("RUSTLESS_CONTAINER_TESTS=required, but " + MISSING)
        .hasMessageContaining("apt-get install -y some-pkg");
  }

  @Test
  void theRegistryStopsAtTheFirstMissingProgram() {
    ProgramPolicy nothingInstalled =
        (pkg, program) -> ProgramPolicy.fail().require(pkg, "/nonexistent" + program);
    assertThatThrownBy(() -> DebianRegistry.builder().programs(nothingInstalled).start())
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("/nonexistent/usr/bin/docker-registry is missing")
        .hasMessageContaining("apt-get install -y docker-registry");
  }
}
