package io.rustless.cli.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BoundedReadTest {

  @Test
  void readsEverythingUpToTheCeilingIncluded() throws IOException {
    byte[] data = new byte[200_000];
    data[199_999] = 7;
    assertThat(BoundedRead.readAtMost(new ByteArrayInputStream(data), 200_000)).isEqualTo(data);
    assertThat(BoundedRead.readAtMost(new ByteArrayInputStream(new byte[0]), 0)).isEmpty();
  }

  @Test
  void oneByteOverTheCeilingIsRefused() {
    assertThatThrownBy(
            () -> BoundedRead.readAtMost(new ByteArrayInputStream(new byte[200_001]), 200_000))
        .isInstanceOf(IOException.class)
        .hasMessage("more than 200000 bytes");
  }
}
