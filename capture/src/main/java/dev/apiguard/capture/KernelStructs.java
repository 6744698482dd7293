package dev.apiguard.capture;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.apiguard.capture.libbpf.Btf;

/**
 * The structs shared with the BPF programs (apiguard.h), declared once, with a VarHandle per field.
 * Every read and write of kernel data goes through these; {@link #check} compares them (and the
 * enums whose numbers travel in event_hdr) with the object's BTF at start-up, so that a field added, moved or resized on the C side alone stops the
 * agent with one line instead of shifting every value silently.
 */
final class KernelStructs {
    private KernelStructs() {}

    /** struct agent_config: the programs' read-only configuration, written before load. */
    static final StructLayout AGENT_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("enabled"),
            JAVA_INT.withName("self_tgid"),
            JAVA_INT.withName("only_tgid"),
            JAVA_INT.withName("only_port"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("only_comm"),
            JAVA_INT.withName("only_netns"))
            .withName("agent_config");
    static final VarHandle CONFIG_ENABLED = AGENT_CONFIG.varHandle(groupElement("enabled"));
    static final VarHandle CONFIG_SELF_TGID = AGENT_CONFIG.varHandle(groupElement("self_tgid"));
    static final VarHandle CONFIG_ONLY_TGID = AGENT_CONFIG.varHandle(groupElement("only_tgid"));
    static final VarHandle CONFIG_ONLY_PORT = AGENT_CONFIG.varHandle(groupElement("only_port"));
    static final VarHandle CONFIG_ONLY_NETNS = AGENT_CONFIG.varHandle(groupElement("only_netns"));
    static final long CONFIG_ONLY_COMM_OFFSET = AGENT_CONFIG.byteOffset(groupElement("only_comm"));
    static final long CONFIG_ONLY_COMM_SIZE = AGENT_CONFIG.select(groupElement("only_comm")).byteSize();

    /** struct event_hdr: each ring-buffer record starts with one, followed by {@code captured} bytes. */
    static final StructLayout EVENT_HDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("ts_ns"),
            JAVA_LONG.withName("generation"),
            JAVA_LONG.withName("total_len"),
            JAVA_INT.withName("tgid"),
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("kind"),
            JAVA_SHORT.withName("role"),
            JAVA_SHORT.withName("captured"),
            JAVA_SHORT.withName("lport"),
            JAVA_SHORT.withName("rport"),
            JAVA_SHORT.withName("flags"),
            MemoryLayout.sequenceLayout(2, JAVA_SHORT).withName("pad"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("comm"))
            .withName("event_hdr");
    static final VarHandle EVENT_TS_NS = EVENT_HDR.varHandle(groupElement("ts_ns"));
    static final VarHandle EVENT_GENERATION = EVENT_HDR.varHandle(groupElement("generation"));
    static final VarHandle EVENT_TOTAL_LEN = EVENT_HDR.varHandle(groupElement("total_len"));
    static final VarHandle EVENT_TGID = EVENT_HDR.varHandle(groupElement("tgid"));
    static final VarHandle EVENT_FD = EVENT_HDR.varHandle(groupElement("fd"));
    static final VarHandle EVENT_KIND = EVENT_HDR.varHandle(groupElement("kind"));
    static final VarHandle EVENT_ROLE = EVENT_HDR.varHandle(groupElement("role"));
    static final VarHandle EVENT_CAPTURED = EVENT_HDR.varHandle(groupElement("captured"));
    static final VarHandle EVENT_LPORT = EVENT_HDR.varHandle(groupElement("lport"));
    static final VarHandle EVENT_RPORT = EVENT_HDR.varHandle(groupElement("rport"));
    static final VarHandle EVENT_FLAGS = EVENT_HDR.varHandle(groupElement("flags"));
    /** event_hdr.flags bit EVENT_FLAG_TLS: TLS plaintext from a TLS library probe. */
    static final int EVENT_FLAG_TLS = 1;
    /** event_hdr.flags bit EVENT_FLAG_H2: the data is an HTTP/2 frame walk (segments, see h2.bpf.h). */
    static final int EVENT_FLAG_H2 = 2;
    /** event_hdr.flags bit EVENT_FLAG_H2_LOST: the walk had lost the frame boundaries before this record. */
    static final int EVENT_FLAG_H2_LOST = 4;
    static final long EVENT_COMM_OFFSET = EVENT_HDR.byteOffset(groupElement("comm"));
    static final int EVENT_COMM_SIZE = (int) EVENT_HDR.select(groupElement("comm")).byteSize();

    /** struct kernel_stats: the per-CPU counters (one value per CPU, each 8-byte aligned). */
    static final StructLayout KERNEL_STATS = MemoryLayout.structLayout(
            JAVA_LONG.withName("ringbuf_full"),
            JAVA_LONG.withName("conns_full"),
            JAVA_LONG.withName("not_http"))
            .withName("kernel_stats");
    static final VarHandle STATS_RINGBUF_FULL = KERNEL_STATS.varHandle(groupElement("ringbuf_full"));
    static final VarHandle STATS_CONNS_FULL = KERNEL_STATS.varHandle(groupElement("conns_full"));
    static final VarHandle STATS_NOT_HTTP = KERNEL_STATS.varHandle(groupElement("not_http"));

    /** struct tls_config: the TLS probes' read-only configuration (section .rodata.tls). */
    static final StructLayout TLS_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("enabled"))
            .withName("tls_config");
    static final VarHandle TLS_CONFIG_ENABLED = TLS_CONFIG.varHandle(groupElement("enabled"));

    /** struct tls_stats: the TLS probes' per-CPU counters. */
    static final StructLayout TLS_STATS = MemoryLayout.structLayout(
            JAVA_LONG.withName("calls_full"),
            JAVA_LONG.withName("unjoined"),
            JAVA_LONG.withName("execs"),
            JAVA_LONG.withName("exec_lost"))
            .withName("tls_stats");
    static final VarHandle TLS_STATS_CALLS_FULL = TLS_STATS.varHandle(groupElement("calls_full"));
    static final VarHandle TLS_STATS_UNJOINED = TLS_STATS.varHandle(groupElement("unjoined"));
    static final VarHandle TLS_STATS_EXECS = TLS_STATS.varHandle(groupElement("execs"));
    static final VarHandle TLS_STATS_EXEC_LOST = TLS_STATS.varHandle(groupElement("exec_lost"));

    /** struct h2_stats: the HTTP/2 frame walk's per-CPU counters. */
    static final StructLayout H2_STATS = MemoryLayout.structLayout(
            JAVA_LONG.withName("block_cut"),
            JAVA_LONG.withName("payload_cut"),
            JAVA_LONG.withName("lost"))
            .withName("h2_stats");
    static final VarHandle H2_STATS_BLOCK_CUT = H2_STATS.varHandle(groupElement("block_cut"));
    static final VarHandle H2_STATS_PAYLOAD_CUT = H2_STATS.varHandle(groupElement("payload_cut"));
    static final VarHandle H2_STATS_LOST = H2_STATS.varHandle(groupElement("lost"));

    /** Every struct that crosses the boundary. */
    static final List<StructLayout> ALL = List.of(AGENT_CONFIG, EVENT_HDR, KERNEL_STATS, TLS_CONFIG, TLS_STATS, H2_STATS);

    /** A C enum whose values are the ordinals of a Java enum: {@code prefix + constant name} in C. */
    record SharedEnum(String name, String prefix, Class<? extends Enum<?>> java) {}

    /** Every enum that crosses the boundary (as u16 fields of event_hdr). */
    static final List<SharedEnum> ENUMS = List.of(
            new SharedEnum("event_kind", "KIND_", SocketEvent.Kind.class),
            new SharedEnum("conn_role", "ROLE_", SocketEvent.Role.class));

    /** Fails with the first disagreement between the shared structs and enums and the object's BTF, as one line. */
    static void check(Btf btf) throws CaptureException {
        check(btf, ALL);
        checkEnums(btf, ENUMS);
    }

    static void checkEnums(Btf btf, List<SharedEnum> enums) throws CaptureException {
        for (SharedEnum shared : enums) {
            Map<String, Integer> inBtf = btf.enumValues(shared.name()).orElseThrow(() -> new CaptureException(
                    "capture: enum " + shared.name() + " is not in the BPF object's BTF (the programs must reference it)"));
            Optional<String> mismatch = mismatch(inBtf, shared);
            if (mismatch.isPresent()) {
                throw new CaptureException("capture: enum " + shared.name() + " mismatch: " + mismatch.get());
            }
        }
    }

    /** The first value whose C number is not the Java ordinal, or a constant on one side only. */
    static Optional<String> mismatch(Map<String, Integer> btf, SharedEnum shared) {
        Enum<?>[] constants = shared.java().getEnumConstants();
        String javaName = shared.java().getName().substring(shared.java().getPackageName().length() + 1).replace('$', '.');
        for (Map.Entry<String, Integer> value : btf.entrySet()) {
            String constant = value.getKey().startsWith(shared.prefix()) ? value.getKey().substring(shared.prefix().length()) : value.getKey();
            Optional<Enum<?>> mine = Arrays.stream(constants).filter(c -> c.name().equals(constant)).findFirst();
            if (mine.isEmpty()) {
                return Optional.of(value.getKey() + " is " + value.getValue() + " in BTF, missing in " + javaName);
            }
            if (mine.get().ordinal() != value.getValue()) {
                return Optional.of(value.getKey() + " is " + value.getValue() + " in BTF, " + javaName + "." + constant
                        + " is " + mine.get().ordinal() + " in Java");
            }
        }
        for (Enum<?> constant : constants) {
            if (!btf.containsKey(shared.prefix() + constant.name())) {
                return Optional.of(javaName + "." + constant.name() + " is " + constant.ordinal() + " in Java, missing in BTF");
            }
        }
        return Optional.empty();
    }

    /** Fails with the first disagreement between {@code layouts} and the object's BTF, as one line. */
    static void check(Btf btf, List<StructLayout> layouts) throws CaptureException {
        for (StructLayout layout : layouts) {
            String name = layout.name().orElseThrow();
            Optional<Btf.Struct> inBtf = btf.struct(name);
            if (inBtf.isEmpty()) {
                throw new CaptureException("capture: struct " + name + " is not in the BPF object's BTF"
                        + " (the programs must reference it, e.g. as a map value)");
            }
            Optional<String> mismatch = mismatch(inBtf.get(), layout);
            if (mismatch.isPresent()) {
                throw new CaptureException("capture: struct " + name + " layout mismatch: " + mismatch.get());
            }
        }
    }

    /** The first difference between a struct in BTF and its Java layout: a field's offset, size or presence, then the size. */
    static Optional<String> mismatch(Btf.Struct btf, StructLayout java) {
        Map<String, MemoryLayout> javaFields = new HashMap<>();
        List<String> javaOrder = new ArrayList<>();
        for (MemoryLayout member : java.memberLayouts()) {
            member.name().ifPresent(n -> {
                javaFields.put(n, member);
                javaOrder.add(n);
            });
        }
        for (Btf.Member field : btf.members()) {
            if (field.bitfieldBits() > 0) {
                return Optional.of("field " + field.name() + " is a bitfield in BTF, which Java cannot declare");
            }
            MemoryLayout mine = javaFields.get(field.name());
            if (mine == null) {
                return Optional.of("field " + field.name() + " at offset " + field.offset() + " in BTF, missing in Java");
            }
            long offset = java.byteOffset(groupElement(field.name()));
            if (offset != field.offset()) {
                return Optional.of("field " + field.name() + " at offset " + field.offset() + " in BTF, " + offset + " in Java");
            }
            if (mine.byteSize() != field.size()) {
                return Optional.of("field " + field.name() + " is " + field.size() + " bytes in BTF, " + mine.byteSize() + " in Java");
            }
        }
        for (String name : javaOrder) {
            if (btf.members().stream().noneMatch(m -> m.name().equals(name))) {
                return Optional.of("field " + name + " at offset " + java.byteOffset(groupElement(name))
                        + " in Java, missing in BTF");
            }
        }
        if (btf.size() != java.byteSize()) {
            return Optional.of("size " + btf.size() + " bytes in BTF, " + java.byteSize() + " in Java");
        }
        return Optional.empty();
    }
}
