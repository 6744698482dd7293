package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RET offsets the length decoder finds agree with binutils' disassembler, on Go and C code. */
class X86ReturnsTest {
    private static final Pattern RET = Pattern.compile("^\\s*([0-9a-f]+):\\s+ret");

    @Test
    void goTlsReadAndWriteReturnsMatchObjdump(@TempDir Path dir) throws Exception {
        Path binary = GoTls.buildServer(dir);
        for (String function : List.of("crypto/tls.(*Conn).Read", "crypto/tls.(*Conn).Write", "net/http.(*conn).serve",
                "crypto/tls.(*Conn).readRecordOrCCS", "crypto/tls.(*Conn).handshakeContext")) {
            assertAgrees(binary, function);
        }
    }

    @Test
    void libsslReturnsMatchObjdump() throws Exception {
        Path libssl = Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3");
        for (String function : List.of("SSL_read", "SSL_write", "SSL_read_ex", "SSL_write_ex", "SSL_do_handshake")) {
            assertAgrees(libssl, function);
        }
    }

    @Test
    void a0xC3InsideAnImmediateIsNotAReturn() {
        // mov eax, 0xc3c3c3c3; add rsp, 0xc3; ret
        byte[] code = {(byte) 0xb8, (byte) 0xc3, (byte) 0xc3, (byte) 0xc3, (byte) 0xc3, 0x48, (byte) 0x83, (byte) 0xc4,
            (byte) 0xc3, (byte) 0xc3};
        assertThat(X86Returns.find(code)).hasValue(List.of(9));
        // An unknown opcode (EVEX) stops the decoder instead of guessing.
        assertThat(X86Returns.find(new byte[] {0x62, 0x01, 0x02, 0x03, (byte) 0xc3})).isEmpty();
    }

    private static void assertAgrees(Path binary, String function) throws Exception {
        Path objdump = RealParts.requireBinary("objdump");
        ElfSymbols.FunctionCode code = ElfSymbols.function(binary, function);
        assertThat(code).as(function).isNotNull();
        List<Integer> mine = X86Returns.find(code.code()).orElseThrow(() -> new AssertionError("undecodable: " + function));
        Process p = new ProcessBuilder(objdump.toString(), "-d", "--no-show-raw-insn",
                "--start-address=0x" + Long.toHexString(code.address()),
                "--stop-address=0x" + Long.toHexString(code.address() + code.code().length), binary.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<Integer> theirs = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = RET.matcher(line);
            if (m.find()) {
                theirs.add((int) (Long.parseLong(m.group(1), 16) - code.address()));
            }
        }
        assertThat(theirs).as(function + " in " + binary).isNotEmpty();
        assertThat(mine).as(function + " in " + binary).isEqualTo(theirs);
    }
}
