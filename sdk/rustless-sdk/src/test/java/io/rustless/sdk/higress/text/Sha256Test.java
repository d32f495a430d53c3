package io.rustless.sdk.higress.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void knownVectors() {
    assertThat(Sha256.hex(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Sha256.hex("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(
            Sha256.hex(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }

  @Test
  void agreesWithTheJdkOnEveryLengthAroundTheBlockBoundaries() throws Exception {
    Random r = new Random(7);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256");
    for (int len = 0; len < 300; len++) {
      byte[] data = new byte[len];
      r.nextBytes(data);
      assertThat(Sha256.hex(data))
          .as("length %d", len)
          .isEqualTo(HexFormat.of().formatHex(jdk.digest(data)));
    }
    byte[] big = new byte[1 << 20];
    r.nextBytes(big);
    assertThat(Sha256.digest(big)).isEqualTo(jdk.digest(big));
  }
}
