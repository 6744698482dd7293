package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

class PreflightTest {

    @Test
    void thisKernelDescribesEveryTracepointTheProgramsAttachTo() throws Exception {
        RealParts.require(Files.isReadable(Preflight.BTF), "kernel BTF at " + Preflight.BTF);
        assertThat(Preflight.missingTracepoints(Files.readAllBytes(Preflight.BTF))).isEmpty();
    }

    @Test
    void namesTheTracepointsAnOlderKernelLacks() {
        // A string section as an older kernel has it: the state tracepoint, no socket length ones,
        // and a longer name that merely starts like one of them.
        byte[] strings = "\0btf_trace_inet_sock_set_state\0btf_trace_sock_recv_length_v2\0sock_send_length\0btf_trace_tcp_destroy_sock\0"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(Preflight.missingTracepoints(strings)).containsExactly("sock_recv_length", "sock_send_length");
        assertThat(Preflight.missingTracepoints(new byte[0]))
                .containsExactly("sock_recv_length", "sock_send_length", "inet_sock_set_state", "tcp_destroy_sock");
    }
}
