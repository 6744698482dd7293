package dev.apiguard.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The function names an ELF64 little-endian file defines, from its {@code .dynsym} and {@code
 * .symtab} (a stripped file has only the first). Enough to tell whether an executable carries its
 * own TLS library (Node.js exports {@code SSL_read}); libbpf resolves the offsets when attaching.
 */
final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int SYMBOL_SIZE = 24;

    private ElfSymbols() {}

    /** Which of {@code wanted} the file defines as functions; empty for a file that is not ELF64 LE. */
    static Set<String> defined(Path file, Set<String> wanted) throws IOException {
        Set<String> found = new HashSet<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = read(channel, 0, 64);
            if (header.remaining() < 64 || header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
                return found; // not ELF, not 64-bit or not little-endian
            }
            long sectionHeaders = header.getLong(0x28);
            int entrySize = Short.toUnsignedInt(header.getShort(0x3a));
            int count = Short.toUnsignedInt(header.getShort(0x3c));
            if (sectionHeaders <= 0 || entrySize < 64 || count == 0 || sectionHeaders + (long) entrySize * count > size) {
                return found;
            }
            ByteBuffer sections = read(channel, sectionHeaders, entrySize * count);
            for (int i = 0; i < count; i++) {
                int base = i * entrySize;
                int type = sections.getInt(base + 4);
                if (type != SHT_DYNSYM && type != SHT_SYMTAB) {
                    continue;
                }
                long offset = sections.getLong(base + 0x18);
                long length = sections.getLong(base + 0x20);
                int link = sections.getInt(base + 0x28);
                if (link <= 0 || link >= count || offset + length > size || length > Integer.MAX_VALUE) {
                    continue;
                }
                long stringsOffset = sections.getLong(link * entrySize + 0x18);
                long stringsLength = sections.getLong(link * entrySize + 0x20);
                if (stringsOffset + stringsLength > size || stringsLength > Integer.MAX_VALUE) {
                    continue;
                }
                ByteBuffer symbols = channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer strings = channel.map(FileChannel.MapMode.READ_ONLY, stringsOffset, stringsLength);
                for (int s = 0; s + SYMBOL_SIZE <= length; s += SYMBOL_SIZE) {
                    int nameOffset = symbols.getInt(s);
                    int info = symbols.get(s + 4);
                    int sectionIndex = Short.toUnsignedInt(symbols.getShort(s + 6));
                    if ((info & 0xf) != STT_FUNC || sectionIndex == 0 || nameOffset <= 0 || nameOffset >= stringsLength) {
                        continue; // not a function, or undefined (imported from another library)
                    }
                    String name = name(strings, nameOffset);
                    if (wanted.contains(name)) {
                        found.add(name);
                    }
                }
            }
        }
        return found;
    }

    /**
     * A function's code: its file offset (what a uprobe is attached at), its virtual address, and
     * its bytes (the symbol's size).
     */
    record FunctionCode(long fileOffset, long address, byte[] code) {}

    /** The function {@code name} from .symtab (or .dynsym), or null when the file does not define it. */
    static FunctionCode function(Path file, String name) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = read(channel, 0, 64);
            if (header.remaining() < 64 || header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
                return null;
            }
            long sectionHeaders = header.getLong(0x28);
            int entrySize = Short.toUnsignedInt(header.getShort(0x3a));
            int count = Short.toUnsignedInt(header.getShort(0x3c));
            if (sectionHeaders <= 0 || entrySize < 64 || count == 0 || sectionHeaders + (long) entrySize * count > size) {
                return null;
            }
            ByteBuffer sections = read(channel, sectionHeaders, entrySize * count);
            byte[] wanted = name.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < count; i++) {
                int base = i * entrySize;
                int type = sections.getInt(base + 4);
                if (type != SHT_DYNSYM && type != SHT_SYMTAB) {
                    continue;
                }
                long offset = sections.getLong(base + 0x18);
                long length = sections.getLong(base + 0x20);
                int link = sections.getInt(base + 0x28);
                if (link <= 0 || link >= count || offset + length > size || length > Integer.MAX_VALUE) {
                    continue;
                }
                long stringsOffset = sections.getLong(link * entrySize + 0x18);
                long stringsLength = sections.getLong(link * entrySize + 0x20);
                if (stringsOffset + stringsLength > size || stringsLength > Integer.MAX_VALUE) {
                    continue;
                }
                ByteBuffer symbols = channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer strings = channel.map(FileChannel.MapMode.READ_ONLY, stringsOffset, stringsLength);
                for (int s = 0; s + SYMBOL_SIZE <= length; s += SYMBOL_SIZE) {
                    int nameOffset = symbols.getInt(s);
                    int info = symbols.get(s + 4);
                    int sectionIndex = Short.toUnsignedInt(symbols.getShort(s + 6));
                    if ((info & 0xf) != STT_FUNC || sectionIndex == 0 || sectionIndex >= count || nameOffset <= 0
                            || nameOffset + wanted.length >= stringsLength || !nameIs(strings, nameOffset, wanted)) {
                        continue;
                    }
                    long value = symbols.getLong(s + 8);
                    long codeSize = symbols.getLong(s + 16);
                    int sec = sectionIndex * entrySize;
                    long secAddr = sections.getLong(sec + 0x10);
                    long secOffset = sections.getLong(sec + 0x18);
                    long secSize = sections.getLong(sec + 0x20);
                    if (value < secAddr || value + codeSize > secAddr + secSize || codeSize <= 0 || codeSize > 1 << 20) {
                        return null;
                    }
                    long fileOffset = value - secAddr + secOffset;
                    ByteBuffer code = read(channel, fileOffset, (int) codeSize);
                    if (code.remaining() != codeSize) {
                        return null;
                    }
                    byte[] bytes = new byte[(int) codeSize];
                    code.get(bytes);
                    return new FunctionCode(fileOffset, value, bytes);
                }
            }
        }
        return null;
    }

    /** What the section headers say: a Go binary (.note.go.buildid or .gopclntab), and whether it kept .symtab. */
    record Kind(boolean go, boolean symtab) {}

    static Kind kind(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = read(channel, 0, 64);
            if (header.remaining() < 64 || header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
                return new Kind(false, false);
            }
            long sectionHeaders = header.getLong(0x28);
            int entrySize = Short.toUnsignedInt(header.getShort(0x3a));
            int count = Short.toUnsignedInt(header.getShort(0x3c));
            int names = Short.toUnsignedInt(header.getShort(0x3e));
            if (sectionHeaders <= 0 || entrySize < 64 || count == 0 || names >= count
                    || sectionHeaders + (long) entrySize * count > size) {
                return new Kind(false, false);
            }
            ByteBuffer sections = read(channel, sectionHeaders, entrySize * count);
            long namesOffset = sections.getLong(names * entrySize + 0x18);
            long namesLength = sections.getLong(names * entrySize + 0x20);
            if (namesOffset + namesLength > size || namesLength > 1 << 20) {
                return new Kind(false, false);
            }
            ByteBuffer strings = read(channel, namesOffset, (int) namesLength);
            boolean go = false;
            boolean symtab = false;
            for (int i = 0; i < count; i++) {
                int type = sections.getInt(i * entrySize + 4);
                int nameOffset = sections.getInt(i * entrySize);
                symtab |= type == SHT_SYMTAB;
                if (nameOffset > 0 && nameOffset < namesLength) {
                    String name = name(strings, nameOffset);
                    go |= name.equals(".note.go.buildid") || name.equals(".gopclntab");
                }
            }
            return new Kind(go, symtab);
        }
    }

    private static boolean nameIs(ByteBuffer strings, int offset, byte[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            if (strings.get(offset + i) != wanted[i]) {
                return false;
            }
        }
        return strings.get(offset + wanted.length) == 0;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // until full or end of file
        }
        return buffer.flip();
    }

    private static String name(ByteBuffer strings, int offset) {
        int end = offset;
        int limit = Math.min(strings.limit(), offset + 256);
        while (end < limit && strings.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        strings.get(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
