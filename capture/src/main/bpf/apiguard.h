// Shared between the BPF programs and the Java side (dev.apiguard.capture.KernelStructs declares
// the same structs as MemoryLayouts). At start-up the agent compares every struct that crosses
// the boundary (agent_config, event_hdr, kernel_stats) with this object's BTF, field by field, and
// the enums' values with the Java enums: a change made here alone stops the agent with one line.
#ifndef APIGUARD_H
#define APIGUARD_H

#define MAX_CAPTURE 1024
#define MAX_IOV 64 // iovecs walked per syscall (bpf_loop); gRPC C-core sends each frame header and its payload as separate iovecs

// Event kinds: the order of dev.apiguard.capture.SocketEvent.Kind (checked at start-up through
// BTF). A connection is opened when its first HTTP/1.x bytes pass, on the side those bytes imply
// (not at accept() or connect()).
enum event_kind {
    KIND_OPEN_SERVER = 0,
    KIND_OPEN_CLIENT = 1,
    KIND_INGRESS = 2,
    KIND_EGRESS = 3,
    KIND_CLOSE = 4,
};

// The order of dev.apiguard.capture.SocketEvent.Role.
enum conn_role {
    ROLE_UNKNOWN = 0,
    ROLE_SERVER = 1,
    ROLE_CLIENT = 2,
};

// Per-CPU counters (the one value of a per-CPU array), exported as apiguard_* metrics.
// (Delivered events are counted in user space as they are read.)
struct kernel_stats {
    __u64 ringbuf_full; // events lost: the ring buffer was full
    __u64 conns_full;   // connections not followed: no memory for their state
    __u64 not_http;     // connections given up: MAX_MISSES events without an HTTP/1.x start
};

// Kept in the socket's own storage (freed by the kernel with the socket).
struct conn_state {
    __u64 generation;
    __u32 tgid;    // the process and fd that first moved HTTP bytes on it (with generation: the key)
    __s32 fd;
    __u16 role;
    __u16 lport;
    __u16 rport;
    __u8 ignored;  // filtered out, or not HTTP
    __u8 misses;   // events seen before one started like HTTP/1.x
    char comm[16]; // the owning process's name
    // TLS: the socket carries a TLS session (its bytes are ciphertext, never reported); the
    // session's plaintext state is tls_conns[{tls_tgid, tls_ssl}].
    __u64 tls_ssl;
    __u32 tls_tgid;
    __s32 tls_fd;
    __u8 tls;      // on a socket: it carries a TLS session; in tls_conns: the session (events flagged TLS)
    __u8 h2;       // HTTP/2: its events are frame walks (h2.bpf.h), its walk state in h2_socks
    __u8 tls_pad[2];
};

// Written by user space before attaching.
struct agent_config {
    __u32 enabled;
    __u32 self_tgid;  // never traced
    __u32 only_tgid;  // 0: all processes
    __u32 only_port;  // 0: all ports
    char only_comm[16]; // empty: all processes
    __u32 only_netns; // a network namespace's inode (st_ino of /run/netns/NAME); 0: all namespaces
};

// 64 bytes, followed by `captured` bytes of data.
struct event_hdr {
    __u64 ts_ns;
    __u64 generation;
    __u64 total_len;
    __u32 tgid;
    __s32 fd;
    __u16 kind;
    __u16 role;
    __u16 captured;
    __u16 lport;
    __u16 rport;
    __u16 flags; // EVENT_FLAG_*
    __u16 pad[2];
    char comm[16];
};

// event_hdr.flags: the data is TLS plaintext (from a TLS library's read or write), the connection
// identity that of the socket the TLS session runs on.
#define EVENT_FLAG_TLS 1
// The data is an HTTP/2 frame walk: segments {__u32 len; __u32 gap} + len bytes (h2.bpf.h).
#define EVENT_FLAG_H2 2
// HTTP/2: the walk had lost the frame boundaries before this record (user space drops its position).
#define EVENT_FLAG_H2_LOST 4

// Per-CPU counters of the HTTP/2 frame walk (h2.bpf.h), exported as apiguard_kernel_h2_walk_total{reason}.
struct h2_stats {
    __u64 block_cut;   // header-block frames longer than H2_MAX_BLOCK_FRAME: the rest not copied
    __u64 payload_cut; // copied payloads that ended in a syscall without a user buffer (sendfile)
    __u64 lost;        // a direction lost its frame boundaries (walk bound, no buffer, full ring)
};

// TLS capture (uprobes on TLS libraries). Its own read-only data, set by user space before load.
struct tls_config {
    __u32 enabled; // 0: the TLS probes are loaded but never attached, socket events as before
};

// Per-CPU counters of TLS capture.
struct tls_stats {
    __u64 calls_full; // TLS calls not followed: the per-thread table of calls in flight was full
    __u64 unjoined;   // TLS calls whose session was never seen on a socket: plaintext dropped
    __u64 execs;      // execs seen (each has the process scanned for TLS at once)
    __u64 exec_lost;  // execs not queued to user space (queue full): left to the periodic rescan
};

#endif
