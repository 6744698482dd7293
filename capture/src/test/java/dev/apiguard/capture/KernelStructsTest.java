package dev.apiguard.capture;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.List;

import dev.apiguard.capture.libbpf.BpfObject;
import dev.apiguard.capture.libbpf.Btf;
import dev.apiguard.capture.libbpf.LibBpf;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java struct layouts against the BTF of the real BPF object built by this module. */
class KernelStructsTest {
    private Arena arena;
    private BpfObject object;
    private Btf btf;

    @BeforeEach
    void openTheRealObject() throws Exception {
        RealParts.require(LibBpf.available(), "libbpf.so.1");
        arena = Arena.ofConfined();
        byte[] elf = KernelCapture.readObject();
        MemorySegment image = arena.allocate(elf.length, 8);
        MemorySegment.copy(elf, 0, image, JAVA_BYTE, 0, elf.length);
        object = BpfObject.open(LibBpf.load(), image);
        btf = object.btf();
    }

    @AfterEach
    void close() {
        if (object != null) {
            object.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    @Test
    void everySharedStructAgreesWithTheObject() throws Exception {
        KernelStructs.check(btf, KernelStructs.ALL); // does not throw
        assertThat(btf.struct("event_hdr").orElseThrow().size()).isEqualTo(64);
        assertThat(btf.struct("event_hdr").orElseThrow().members()).hasSize(13);
        for (StructLayout layout : KernelStructs.ALL) {
            assertThat(KernelStructs.mismatch(btf.struct(layout.name().orElseThrow()).orElseThrow(), layout)).isEmpty();
        }
    }

    @Test
    void twoFieldsSwappedAreAnOffsetMismatch() {
        StructLayout swapped = MemoryLayout.structLayout(
                JAVA_LONG.withName("ts_ns"), JAVA_LONG.withName("generation"), JAVA_LONG.withName("total_len"),
                JAVA_INT.withName("tgid"), JAVA_INT.withName("fd"),
                JAVA_SHORT.withName("role"), JAVA_SHORT.withName("kind"), // in C: kind, then role
                JAVA_SHORT.withName("captured"), JAVA_SHORT.withName("lport"), JAVA_SHORT.withName("rport"),
                JAVA_SHORT.withName("flags"), MemoryLayout.sequenceLayout(2, JAVA_SHORT).withName("pad"),
                MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("comm"))
                .withName("event_hdr");
        assertThatThrownBy(() -> KernelStructs.check(btf, List.of(swapped)))
                .isInstanceOf(CaptureException.class)
                .hasMessage("capture: struct event_hdr layout mismatch: field kind at offset 32 in BTF, 34 in Java");
    }

    @Test
    void aFieldAddedOnTheCSideOnlyIsReported() {
        // As if the C side had gained only_comm after the Java side was written.
        StructLayout older = MemoryLayout.structLayout(
                JAVA_INT.withName("enabled"), JAVA_INT.withName("self_tgid"), JAVA_INT.withName("only_tgid"), JAVA_INT.withName("only_port"))
                .withName("agent_config");
        assertThat(KernelStructs.mismatch(btf.struct("agent_config").orElseThrow(), older))
                .hasValue("field only_comm at offset 16 in BTF, missing in Java");
    }

    @Test
    void aFieldOfAnotherSizeOrOnlyInJavaOrAnotherTotalSizeIsReported() {
        Btf.Struct stats = btf.struct("kernel_stats").orElseThrow();
        StructLayout narrow = MemoryLayout.structLayout(
                JAVA_LONG.withName("ringbuf_full"), JAVA_INT.withName("conns_full"), JAVA_INT.withName("pad"), JAVA_LONG.withName("not_http"))
                .withName("kernel_stats");
        assertThat(KernelStructs.mismatch(stats, narrow)).hasValue("field conns_full is 8 bytes in BTF, 4 in Java");
        StructLayout extra = MemoryLayout.structLayout(
                JAVA_LONG.withName("ringbuf_full"), JAVA_LONG.withName("conns_full"), JAVA_LONG.withName("not_http"), JAVA_LONG.withName("drops"))
                .withName("kernel_stats");
        assertThat(KernelStructs.mismatch(stats, extra)).hasValue("field drops at offset 24 in Java, missing in BTF");
        StructLayout padded = MemoryLayout.structLayout(
                JAVA_LONG.withName("ringbuf_full"), JAVA_LONG.withName("conns_full"), JAVA_LONG.withName("not_http"), MemoryLayout.paddingLayout(8))
                .withName("kernel_stats");
        assertThat(KernelStructs.mismatch(stats, padded)).hasValue("size 24 bytes in BTF, 32 in Java");
    }

    @Test
    void theEnumsWhoseNumbersTravelInEventsAgreeWithTheObject() throws Exception {
        KernelStructs.check(btf); // structs and enums: does not throw
        assertThat(btf.enumValues("event_kind").orElseThrow()).containsExactly(
                entry("KIND_OPEN_SERVER", 0), entry("KIND_OPEN_CLIENT", 1), entry("KIND_INGRESS", 2),
                entry("KIND_EGRESS", 3), entry("KIND_CLOSE", 4));
    }

    /** As if the Java side had reordered its kinds. */
    enum ReorderedKind { OPEN_CLIENT, OPEN_SERVER, INGRESS, EGRESS, CLOSE }

    /** As if the Java side had gained a role the kernel does not know. */
    enum ExtraRole { UNKNOWN, SERVER, CLIENT, PROXY }

    @Test
    void anEnumReorderedOrExtendedOnOneSideIsReported() {
        assertThatThrownBy(() -> KernelStructs.checkEnums(btf, List.of(new KernelStructs.SharedEnum("event_kind", "KIND_", ReorderedKind.class))))
                .isInstanceOf(CaptureException.class)
                .hasMessage("capture: enum event_kind mismatch: KIND_OPEN_SERVER is 0 in BTF, KernelStructsTest.ReorderedKind.OPEN_SERVER is 1 in Java");
        assertThatThrownBy(() -> KernelStructs.checkEnums(btf, List.of(new KernelStructs.SharedEnum("conn_role", "ROLE_", ExtraRole.class))))
                .hasMessage("capture: enum conn_role mismatch: KernelStructsTest.ExtraRole.PROXY is 3 in Java, missing in BTF");
    }

    @Test
    void aStructTheObjectDoesNotDescribeIsReported() {
        StructLayout unknown = MemoryLayout.structLayout(JAVA_INT.withName("x")).withName("no_such_struct");
        assertThatThrownBy(() -> KernelStructs.check(btf, List.of(unknown)))
                .hasMessageStartingWith("capture: struct no_such_struct is not in the BPF object's BTF");
    }
}
