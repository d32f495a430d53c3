package io.rustless.host.chicory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatMemoryTest {
  private static final int PAGE = Memory.PAGE_SIZE;

  @Test
  void valuesAreLittleEndianAndReadBackAsChicorysOwnMemoryReadsThem() {
    FlatMemory flat = new FlatMemory(new MemoryLimits(2, 4));
    ByteArrayMemory reference = new ByteArrayMemory(new MemoryLimits(2, 4));
    Random random = new Random(7);
    for (Memory m : new Memory[] {flat, reference}) {
      m.writeI32(0, 0x01020304);
      m.writeLong(PAGE - 4, 0x1122334455667788L); // across the page boundary
      m.writeShort(100, (short) 0xBEEF);
      m.writeF32(200, 1.5f);
      m.writeF64(300, -2.25);
      m.writeByte(400, (byte) 0x80);
    }
    assertThat(flat.read(0)).isEqualTo((byte) 0x04);
    for (int addr : new int[] {0, PAGE - 4, PAGE, 100, 200, 300, 400}) {
      assertThat(flat.readInt(addr)).isEqualTo(reference.readInt(addr));
      assertThat(flat.readLong(addr)).isEqualTo(reference.readLong(addr));
      assertThat(flat.readShort(addr)).isEqualTo(reference.readShort(addr));
      assertThat(flat.readU16(addr)).isEqualTo(reference.readU16(addr));
      assertThat(flat.readF32(addr)).isEqualTo(reference.readF32(addr));
      assertThat(flat.readF64(addr)).isEqualTo(reference.readF64(addr));
      assertThat(flat.readU8(addr)).isEqualTo(reference.readU8(addr));
      assertThat(flat.readI8(addr)).isEqualTo(reference.readI8(addr));
      assertThat(flat.readU32(addr)).isEqualTo(reference.readU32(addr));
    }
    assertThat(flat.readFloat(200)).isEqualTo(1.5f);
    assertThat(flat.readDouble(300)).isEqualTo(-2.25);
    byte[] block = new byte[3 * PAGE / 2];
    random.nextBytes(block);
    flat.write(10, block);
    reference.write(10, block);
    assertThat(flat.readBytes(10, block.length)).isEqualTo(block);
    assertThat(flat.readBytes(0, 2 * PAGE)).isEqualTo(reference.readBytes(0, 2 * PAGE));
  }

  @Test
  void everyAccessPastTheEndOrAtANegativeAddressTraps() {
    FlatMemory m = new FlatMemory(new MemoryLimits(1, 1));
    int end = PAGE;
    assertThatThrownBy(() -> m.readInt(end - 3)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.writeI32(end - 3, 1)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.readLong(end - 7)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.readShort(end - 1)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.read(end)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.writeByte(-1, (byte) 1))
        .isInstanceOf(WasmRuntimeException.class)
        .hasMessageContaining("4294967295"); // addresses are unsigned
    assertThatThrownBy(() -> m.readBytes(end - 1, 2)).isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.write(end - 1, new byte[2]))
        .isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.fill((byte) 1, end - 1, end + 1))
        .isInstanceOf(WasmRuntimeException.class);
    assertThatThrownBy(() -> m.copy(0, end - 1, 2)).isInstanceOf(WasmRuntimeException.class);
    // the last bytes themselves are fine
    m.writeI32(end - 4, 42);
    assertThat(m.readInt(end - 4)).isEqualTo(42);
    assertThat(m.readBytes(end, 0)).isEmpty();
  }

  @Test
  void growKeepsTheContentAndStopsAtTheMaximum() {
    FlatMemory m = new FlatMemory(new MemoryLimits(1, 3));
    m.writeI32(PAGE - 4, 7);
    assertThat(m.grow(1)).isEqualTo(1);
    assertThat(m.pages()).isEqualTo(2);
    assertThat(m.readInt(PAGE - 4)).isEqualTo(7);
    m.writeI32(2 * PAGE - 4, 8);
    assertThat(m.grow(0)).isEqualTo(2);
    assertThat(m.grow(2)).isEqualTo(-1);
    assertThat(m.pages()).isEqualTo(2);
    assertThat(m.grow(1)).isEqualTo(2);
    assertThat(m.readInt(2 * PAGE - 4)).isEqualTo(8);
    assertThat(m.grow(1)).isEqualTo(-1);
    assertThat(m.initialPages()).isEqualTo(1);
    assertThat(m.maximumPages()).isEqualTo(3);
  }

  @Test
  void overlappingCopiesAndFillsBehaveAsMemmoveAndMemset() {
    FlatMemory m = new FlatMemory(new MemoryLimits(1, 1));
    m.write(0, new byte[] {1, 2, 3, 4, 5});
    m.copy(1, 0, 4);
    assertThat(m.readBytes(0, 5)).containsExactly(1, 1, 2, 3, 4);
    m.copy(0, 1, 4);
    assertThat(m.readBytes(0, 5)).containsExactly(1, 2, 3, 4, 4);
    m.fill((byte) 9, 1, 3);
    assertThat(m.readBytes(0, 5)).containsExactly(1, 9, 9, 4, 4);
    m.zero();
    assertThat(m.readBytes(0, 5)).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void passiveSegmentsInitialiseUntilDroppedForThisInstanceOnly() {
    DataSegment[] segments = {new PassiveDataSegment(new byte[] {5, 6, 7})};
    FlatMemory a = new FlatMemory(new MemoryLimits(1, 1));
    FlatMemory b = new FlatMemory(new MemoryLimits(1, 1));
    a.initialize(null, segments);
    b.initialize(null, segments);
    a.initPassiveSegment(0, 10, 1, 2);
    assertThat(a.readBytes(10, 3)).containsExactly(6, 7, 0);
    assertThatThrownBy(() -> a.initPassiveSegment(0, 10, 2, 2))
        .isInstanceOf(WasmRuntimeException.class);
    a.drop(0);
    assertThatThrownBy(() -> a.initPassiveSegment(0, 10, 0, 1))
        .isInstanceOf(WasmRuntimeException.class);
    b.initPassiveSegment(0, 0, 0, 3);
    assertThat(b.readBytes(0, 3)).containsExactly(5, 6, 7);
  }

  @Test
  void sharedMemoryGetsChicorysOwn() {
    assertThat(FlatMemory.create(new MemoryLimits(1, 2, true))).isInstanceOf(ByteArrayMemory.class);
    assertThat(FlatMemory.create(new MemoryLimits(1, 2))).isInstanceOf(FlatMemory.class);
  }
}
