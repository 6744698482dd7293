package dev.apiguard.capture.libbpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The type information (BTF) of a {@link BpfObject}; owned by the object, valid until it is closed. */
public final class Btf {
    private static final int KIND_STRUCT = 4; // BTF_KIND_STRUCT (linux/btf.h)
    private static final int KIND_ENUM = 6; // BTF_KIND_ENUM

    // struct btf_type and struct btf_member (linux/btf.h): a struct's members follow its type record.
    private static final StructLayout BTF_TYPE = MemoryLayout.structLayout(
            JAVA_INT.withName("name_off"), JAVA_INT.withName("info"), JAVA_INT.withName("size"));
    private static final StructLayout BTF_MEMBER = MemoryLayout.structLayout(
            JAVA_INT.withName("name_off"), JAVA_INT.withName("type"), JAVA_INT.withName("offset"));
    private static final VarHandle TYPE_INFO = BTF_TYPE.varHandle(groupElement("info"));
    private static final VarHandle TYPE_SIZE = BTF_TYPE.varHandle(groupElement("size"));
    // struct btf_enum: an enum's values follow its type record.
    private static final StructLayout BTF_ENUM = MemoryLayout.structLayout(
            JAVA_INT.withName("name_off"), JAVA_INT.withName("val"));
    private static final VarHandle ENUM_NAME = BTF_ENUM.varHandle(groupElement("name_off"));
    private static final VarHandle ENUM_VALUE = BTF_ENUM.varHandle(groupElement("val"));
    private static final VarHandle MEMBER_NAME = BTF_MEMBER.varHandle(groupElement("name_off"));
    private static final VarHandle MEMBER_TYPE = BTF_MEMBER.varHandle(groupElement("type"));
    private static final VarHandle MEMBER_OFFSET = BTF_MEMBER.varHandle(groupElement("offset"));

    private final LibBpf bpf;
    private final MemorySegment ptr;

    Btf(LibBpf bpf, MemorySegment ptr) {
        this.bpf = bpf;
        this.ptr = ptr;
    }

    /** A struct member: its byte offset and size; {@code bitfieldBits} > 0 for a bitfield (offset then in bits / 8, rounded down). */
    public record Member(String name, long offset, long size, int bitfieldBits) {}

    /** A struct as the object's BTF describes it. */
    public record Struct(String name, long size, List<Member> members) {}

    /** The struct named {@code name}, if the object's BTF has it. */
    public Optional<Struct> struct(String name) {
        int id = bpf.btfFindByNameKind(ptr, name, KIND_STRUCT);
        if (id <= 0) {
            return Optional.empty();
        }
        MemorySegment type = bpf.btfTypeById(ptr, id).reinterpret(BTF_TYPE.byteSize());
        int info = (int) TYPE_INFO.get(type, 0L);
        int vlen = info & 0xffff;
        boolean kindFlag = info < 0; // bit 31: member offsets carry a bitfield size in their top byte
        long size = Integer.toUnsignedLong((int) TYPE_SIZE.get(type, 0L));
        MemorySegment members = bpf.btfTypeById(ptr, id).reinterpret(BTF_TYPE.byteSize() + vlen * BTF_MEMBER.byteSize())
                .asSlice(BTF_TYPE.byteSize());
        List<Member> result = new ArrayList<>(vlen);
        for (int i = 0; i < vlen; i++) {
            long base = i * BTF_MEMBER.byteSize();
            int offset = (int) MEMBER_OFFSET.get(members, base);
            long bitOffset = kindFlag ? offset & 0xffffff : Integer.toUnsignedLong(offset);
            int bitfieldBits = kindFlag ? offset >>> 24 : 0;
            int memberType = (int) MEMBER_TYPE.get(members, base);
            long memberSize = bitfieldBits > 0 ? 0 : bpf.btfResolveSize(ptr, memberType);
            result.add(new Member(bpf.btfName(ptr, (int) MEMBER_NAME.get(members, base)), bitOffset / 8, memberSize,
                    bitfieldBits > 0 || bitOffset % 8 != 0 ? Math.max(1, bitfieldBits) : 0));
        }
        return Optional.of(new Struct(name, size, List.copyOf(result)));
    }

    /** The values of the enum named {@code name} (32-bit), by enumerator name in declaration order, if the BTF has it. */
    public Optional<Map<String, Integer>> enumValues(String name) {
        int id = bpf.btfFindByNameKind(ptr, name, KIND_ENUM);
        if (id <= 0) {
            return Optional.empty();
        }
        MemorySegment type = bpf.btfTypeById(ptr, id).reinterpret(BTF_TYPE.byteSize());
        int vlen = (int) TYPE_INFO.get(type, 0L) & 0xffff;
        MemorySegment values = bpf.btfTypeById(ptr, id).reinterpret(BTF_TYPE.byteSize() + vlen * BTF_ENUM.byteSize())
                .asSlice(BTF_TYPE.byteSize());
        Map<String, Integer> result = new LinkedHashMap<>();
        for (int i = 0; i < vlen; i++) {
            long base = i * BTF_ENUM.byteSize();
            result.put(bpf.btfName(ptr, (int) ENUM_NAME.get(values, base)), (int) ENUM_VALUE.get(values, base));
        }
        return Optional.of(result);
    }
}
