package io.rustless.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntMapTest {

  @Test
  void behavesLikeAHashMapUnderRandomOperations() {
    IntMap<String> map = new IntMap<>();
    Map<Integer, String> model = new HashMap<>();
    Random random = new Random(7);
    for (int op = 0; op < 200_000; op++) {
      int key = 1 + random.nextInt(500);
      switch (random.nextInt(3)) {
        case 0 -> {
          map.put(key, "v" + op);
          model.put(key, "v" + op);
        }
        case 1 -> assertThat(map.remove(key)).isEqualTo(model.remove(key));
        default -> assertThat(map.get(key)).isEqualTo(model.get(key));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    for (int key = 1; key <= 500; key++) {
      assertThat(map.get(key)).isEqualTo(model.get(key));
    }
  }

  @Test
  void growsAndClears() {
    IntMap<Integer> map = new IntMap<>();
    for (int i = 1; i <= 10_000; i++) {
      map.put(i, i);
    }
    assertThat(map.size()).isEqualTo(10_000);
    assertThat(map.get(9_999)).isEqualTo(9_999);
    map.clear();
    assertThat(map.size()).isZero();
    assertThat(map.get(1)).isNull();
  }

  @Test
  void rejectsNonPositiveKeys() {
    assertThatThrownBy(() -> new IntMap<String>().put(0, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
