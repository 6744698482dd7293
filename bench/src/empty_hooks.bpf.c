// Bench only (bench/agent-floor.sh), never loaded by the agent: the agent's four socket-layer hooks
// (capture/src/main/bpf/apiguard.bpf.c, TLS off) with programs that only return, so the kernel's own
// cost of running a BPF program at those points can be measured apart from what the agent's programs do.
// Same program names as the agent's, so one bpftool filter reads both.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sock_recv_length")
int on_sock_recv(void *ctx) { return 0; }

SEC("tp_btf/sock_send_length")
int on_sock_send(void *ctx) { return 0; }

SEC("tp_btf/inet_sock_set_state")
int on_tcp_state(void *ctx) { return 0; }

SEC("tp_btf/tcp_destroy_sock")
int on_tcp_destroy(void *ctx) { return 0; }
