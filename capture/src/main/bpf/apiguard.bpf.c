// SPDX-License-Identifier: GPL-2.0
// apiguard kernel side: socket sends and receives of every process -> ring buffer of socket events.
//
// Four programs on stable tracepoints of the socket layer, none on the syscall path itself:
//   sock_recv_length / sock_send_length fire inside read, write, readv, writev, recvfrom, sendto,
//     recvmsg, sendmsg and sendfile on a socket, after the bytes were copied: the syscall's saved
//     user registers still hold its arguments (fd, buffer or iovec array), so the program copies
//     the first bytes from there;
//   inet_sock_set_state sees a TCP socket closed by its owner, and tcp_destroy_sock every other
//     end (a reset, a half-closed socket that its owner finally releases).
// A syscall tracepoint (even the raw sys_exit one) puts every syscall of every process on the slow
// path and runs a program for each; these hooks cost nothing to syscalls that move no socket data.
//
// A connection is recognised by its first HTTP/1.x bytes, or HTTP/2's client preface (or, on a
// connection older than the agent, a HEADERS frame), which also give its role (a request read or a
// response written: the server side). Its state lives in the socket's own storage. Only
// AF_INET/AF_INET6 TCP sockets of user processes are traced, never the agent's own process.
// Each event carries at most MAX_CAPTURE bytes (the start of what the syscall moved) and the
// total length, so user space accounts for the rest by length. x86-64 only (syscall numbers and
// registers).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "apiguard.h"

char LICENSE[] SEC("license") = "GPL";

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 * 1024 * 1024); // user space sets its size before load
} events SEC(".maps");

// Connection state lives in the socket itself (socket-local storage): no key to hash, no fd number
// to be reused under it, and the kernel frees it with the socket, so it can neither leak nor
// outlive the connection.
struct {
    __uint(type, BPF_MAP_TYPE_SK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct conn_state);
} conns SEC(".maps");

struct scratch {
    // Zero bytes, never used: they put the enums into the object's BTF (an enum in a __u16 field
    // leaves none there), where user space checks them against its own.
    enum event_kind kinds[0];
    enum conn_role roles[0];
    struct event_hdr hdr;
    __u8 data[MAX_CAPTURE * 4]; // room for the verifier's worst case of offset + length
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch);
} scratch_buf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct kernel_stats);
} stats SEC(".maps");

// Set by user space before load. Read-only data costs no map lookup on the hot path, and the
// verifier drops the branches of filters that are off.
const volatile struct agent_config cfg SEC(".rodata.cfg") = {};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} generation SEC(".maps");

static __always_inline struct kernel_stats *stats_slot(void) {
    __u32 zero = 0;
    return bpf_map_lookup_elem(&stats, &zero);
}

// Per-CPU value: a plain increment is safe.
#define count(field)                                 \
    do {                                             \
        struct kernel_stats *s_ = stats_slot();      \
        if (s_)                                      \
            s_->field += 1;                          \
    } while (0)

// The process's name (the thread group leader's comm): a JVM's threads carry their own names.
static __always_inline void process_comm(char *comm) {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct task_struct *leader = BPF_CORE_READ(task, group_leader);
    if (!leader || bpf_probe_read_kernel_str(comm, 16, &leader->comm) < 0)
        bpf_get_current_comm(comm, 16);
}

// The comm filter, for a new connection (the cheap pid filters run on every event).
static __always_inline int comm_allowed(const char *comm) {
    if (!cfg.only_comm[0])
        return 1;
    for (int i = 0; i < 16; i++) {
        if (comm[i] != cfg.only_comm[i])
            return 0;
        if (comm[i] == 0)
            break;
    }
    return 1;
}

static __always_inline int port_allowed(__u16 lport, __u16 rport) {
    if (!cfg.only_port)
        return 1;
    return lport == cfg.only_port || rport == cfg.only_port;
}

// The namespace filter: the socket's own network namespace, whatever the process's (a socket keeps
// the namespace it was created in).
static __always_inline int netns_allowed(struct sock *sk) {
    if (!cfg.only_netns)
        return 1;
    return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) == cfg.only_netns;
}

// The socket behind fd in the current process (task -> files -> fdt -> fd[fd] -> socket -> sock).
static __always_inline struct sock *fd_sock(struct task_struct *task, int fd) {
    if (fd < 0)
        return NULL;
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    if (!fdt)
        return NULL;
    unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
    if ((unsigned int)fd >= max_fds)
        return NULL;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *file = NULL;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    if (!file)
        return NULL;
    umode_t mode = BPF_CORE_READ(file, f_inode, i_mode);
    if ((mode & S_IFMT) != S_IFSOCK)
        return NULL;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    if (!sock)
        return NULL;
    return BPF_CORE_READ(sock, sk);
}

static __always_inline __u64 next_generation(void) {
    __u32 zero = 0;
    __u64 *g = bpf_map_lookup_elem(&generation, &zero);
    if (!g)
        return 0;
    return __sync_fetch_and_add(g, 1) + 1;
}

static __always_inline void fill_header(struct event_hdr *h, struct conn_state *st, __u16 kind, __u64 total) {
    h->ts_ns = bpf_ktime_get_ns();
    h->generation = st->generation;
    h->total_len = total;
    h->tgid = st->tgid;
    h->fd = st->fd;
    h->kind = kind;
    h->role = st->role;
    h->captured = 0;
    h->lport = st->lport;
    h->rport = st->rport;
    h->flags = st->tls ? EVENT_FLAG_TLS : 0;
    // The connection's owner, read once when it was first seen: cheaper than per event.
    __builtin_memcpy(h->comm, st->comm, sizeof(h->comm));
}

// Waking the reader for every event costs a context switch per event: the reader drains the ring
// on a 10 ms timer instead, and the ring holds far more than 10 ms of events. Successful outputs
// are counted in user space, so the hot path pays for no counter.
static __always_inline void submit(struct scratch *s, __u32 captured) {
    __u64 size = sizeof(struct event_hdr) + (captured & (MAX_CAPTURE * 2 - 1));
    if (size > sizeof(struct scratch))
        return;
    if (bpf_ringbuf_output(&events, s, size, BPF_RB_NO_WAKEUP) != 0)
        count(ringbuf_full);
}

// A connection's start or end: a header without data.
static __always_inline void emit_lifecycle(struct conn_state *st, __u16 kind) {
    struct event_hdr h = {};
    fill_header(&h, st, kind, 0);
    if (bpf_ringbuf_output(&events, &h, sizeof(h), BPF_RB_NO_WAKEUP) != 0)
        count(ringbuf_full);
}

// Copies up to `room` bytes from a user buffer into the scratch data at `off`; returns bytes copied.
static __always_inline __u32 copy_chunk(struct scratch *s, __u32 off, const void *src, __u64 len) {
    if (off >= MAX_CAPTURE || !src || len == 0)
        return 0;
    __u64 n = len;
    if (n > MAX_CAPTURE - off)
        n = MAX_CAPTURE - off;
    // Empty asm barriers keep clang from dropping the masks the verifier needs as bounds.
    asm volatile("" : "+r"(n));
    asm volatile("" : "+r"(off));
    n &= (MAX_CAPTURE * 2 - 1);
    off &= (MAX_CAPTURE - 1);
    if (bpf_probe_read_user(&s->data[off], n, src) != 0)
        return 0;
    return n;
}

#define START_NONE 0
#define START_REQUEST 1
#define START_RESPONSE 2

#define H2_PREFACE_LEN 24
#define H2_FRAME_HEADERS 1

// HTTP/2 frames, for a connection older than the agent (no preface to see): a syscall that starts
// with a HEADERS frame header (END_HEADERS set, no unknown flag, an odd client stream, a length
// that fits in what the syscall moved). A header block that starts with an indexed :status of the
// HPACK static table (indices 8-14, what servers send first) is a response; any other is a request
// (its pseudo-headers may be literals or dynamic table references). Kept separate from the
// HTTP/1.x check.
static __always_inline int h2_frame_start(const __u8 *p, __u32 captured, __u64 total) {
    if (captured < 10)
        return START_NONE;
    __u32 len = ((__u32)p[0] << 16) | ((__u32)p[1] << 8) | p[2];
    __u32 stream = (((__u32)p[5] & 0x7f) << 24) | ((__u32)p[6] << 16) | ((__u32)p[7] << 8) | p[8];
    if (p[3] != H2_FRAME_HEADERS || !(p[4] & 0x4) || (p[4] & ~0x2d) || len == 0 || len + 9 > total
        || (stream & 1) == 0 || (p[5] & 0x80))
        return START_NONE;
    __u8 first = p[9];
    if (p[4] & 0x8) // PADDED: a pad length byte first
        first = captured >= 11 ? p[10] : 0;
    if (p[4] & 0x20) // PRIORITY: 5 bytes before the block
        first = captured >= 15 ? p[14] : 0;
    if (first >= 0x88 && first <= 0x8e)
        return START_RESPONSE;
    return START_REQUEST;
}

// HTTP/1.x messages start with a method or "HTTP/"; HTTP/2 with the client's connection preface
// "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (read by the server: a request start); anything else at a
// stream's start is not ours.
static __always_inline int http_start(const __u8 *p, __u32 captured) {
    __u32 w = p[0] | (p[1] << 8) | (p[2] << 16) | ((__u32)p[3] << 24);
    switch (w) {
    case 0x20495250: // "PRI " (the whole preface is checked: the word alone is no HTTP/1.x method)
        if (captured >= H2_PREFACE_LEN && p[4] == '*' && p[9] == 'P' && p[13] == '0' && p[18] == 'S' && p[19] == 'M'
            && p[23] == '\n')
            return START_REQUEST;
        return START_NONE;
    case 0x20544547: // "GET "
    case 0x54534f50: // "POST"
    case 0x20545550: // "PUT "
    case 0x454c4544: // "DELE"
    case 0x44414548: // "HEAD"
    case 0x4954504f: // "OPTI"
    case 0x43544150: // "PATC"
    case 0x4e4e4f43: // "CONN"
    case 0x43415254: // "TRAC"
        return START_REQUEST;
    case 0x50545448: // "HTTP"
        return START_RESPONSE;
    }
    return START_NONE;
}

// A connection gives up being recognised after this many events without an HTTP/1.x start: a
// connection older than the agent is usually at a message start again within a few.
#define MAX_MISSES 16

#define TS_COMPAT 0x0002
#define PF_KTHREAD 0x00200000
#define MSG_PEEK 2
#define SHUTDOWN_MASK 3

// x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl).
#define NR_read 0
#define NR_write 1
#define NR_readv 19
#define NR_writev 20
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47

// Where the bytes of the syscall in progress are in user memory (its saved registers hold its
// arguments: di, si, dx). sendfile, splice, io_uring and the mmsg calls have no single buffer
// there: their events carry the length only.
struct user_bytes {
    __u64 buf;     // a buffer, or an iovec array when iov is set
    __u64 iovcnt;
    __u32 iov;
    __s32 fd;      // -1: not a syscall with the socket's fd as first argument
};

static __always_inline void find_user_bytes(struct task_struct *task, int ingress, struct user_bytes *u) {
    u->fd = -1;
    if (task->thread_info.status & TS_COMPAT)
        return; // a 32-bit task: its syscall numbers mean other syscalls
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
    if (!regs)
        return;
    long nr = regs->orig_ax;
    switch (nr) {
    case NR_read:
    case NR_recvfrom:
        if (!ingress)
            return;
        u->buf = regs->si;
        break;
    case NR_write:
    case NR_sendto:
        if (ingress)
            return;
        u->buf = regs->si;
        break;
    case NR_readv:
    case NR_writev:
        if (ingress != (nr == NR_readv))
            return;
        u->buf = regs->si;
        u->iovcnt = regs->dx;
        u->iov = 1;
        break;
    case NR_recvmsg:
    case NR_sendmsg: {
        if (ingress != (nr == NR_recvmsg))
            return;
        // The iovec array is behind the user's msghdr.
        struct user_msghdr msg = {};
        if (bpf_probe_read_user(&msg, sizeof(msg), (void *)regs->si) != 0)
            return;
        u->buf = (__u64)msg.msg_iov;
        u->iovcnt = msg.msg_iovlen;
        u->iov = 1;
        break;
    }
    default:
        return;
    }
    u->fd = regs->di;
}

// One iovec of a walk over a syscall's iovec array (capture()'s bpf_loop callback).
struct iov_walk {
    struct scratch *s;
    const struct iovec *vec;
    __u64 count;
    __u64 left;
    __u32 captured;
};

static long iov_step(__u64 i, void *ctx) {
    struct iov_walk *w = ctx;
    if (i >= w->count || w->left == 0 || w->captured >= MAX_CAPTURE)
        return 1;
    struct iovec v = {};
    if (bpf_probe_read_user(&v, sizeof(v), &w->vec[i]) != 0)
        return 1;
    __u64 len = v.iov_len < w->left ? v.iov_len : w->left;
    w->captured += copy_chunk(w->s, w->captured, v.iov_base, len);
    w->left -= len;
    return 0;
}

// Copies the first bytes the syscall moved (from a buffer or an iovec array); returns how many.
static __always_inline __u32 capture(struct scratch *s, struct user_bytes *u, long ret) {
    if (u->fd < 0)
        return 0;
    if (!u->iov)
        return copy_chunk(s, 0, (const void *)u->buf, ret);
    struct iov_walk w = {.s = s, .vec = (const struct iovec *)u->buf, .count = u->iovcnt, .left = ret};
    // bpf_loop: the verifier checks the step once, not MAX_IOV unrolled copies in every program
    // that inlines this (with TLS capture on, an unrolled walk made on_sock_recv too complex: E2BIG).
    bpf_loop(MAX_IOV, iov_step, &w, 0);
    return w.captured;
}

// The socket's state, created on first sight when the socket is the syscall's own fd (a socket the
// kernel uses from a task's context is not that task's connection). NULL otherwise, or without memory.
static __always_inline struct conn_state *claim(struct sock *sk, struct task_struct *task, int fd) {
    if (fd_sock(task, fd) != sk)
        return NULL;
    struct conn_state *st = bpf_sk_storage_get(&conns, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
    if (!st)
        count(conns_full);
    return st;
}

// The connection's first HTTP bytes: its identity, and the role they imply (a request read or a
// response written: the server side). False when the filters leave it out.
static __always_inline int start_conn(struct conn_state *st, struct sock *sk, __u32 tgid, int fd, int start,
                                      int ingress) {
    st->generation = next_generation();
    st->tgid = tgid;
    st->fd = fd;
    st->role = (start == START_REQUEST) == ingress ? ROLE_SERVER : ROLE_CLIENT;
    st->lport = sk->__sk_common.skc_num;
    st->rport = bpf_ntohs(sk->__sk_common.skc_dport);
    process_comm(st->comm);
    st->ignored = !port_allowed(st->lport, st->rport) || !netns_allowed(sk) || !comm_allowed(st->comm);
    if (st->ignored)
        return 0;
    emit_lifecycle(st, st->role == ROLE_SERVER ? KIND_OPEN_SERVER : KIND_OPEN_CLIENT);
    return 1;
}

// ---- TLS: plaintext from uprobes on TLS libraries, joined to the socket the session runs on.
//
// A TLS library call (SSL_read, SSL_write, their _ex forms, gnutls_record_recv/send) is followed
// from entry to return per thread (tls_calls). The socket send or receive it performs runs on the
// same thread, inside the call: the socket programs see the call in flight, mark the socket as TLS
// (its ciphertext is then never reported, nor counted as not HTTP) and record the socket's identity
// into the call. At return the plaintext is reported under that identity. The session's own state
// (generation, role, HTTP recognition) lives in tls_conns, keyed by process and session pointer, so
// a later call served from already-decrypted bytes (no socket I/O) still joins; one whose session
// was never seen on a socket is counted (tls_stats.unjoined) and dropped.

const volatile struct tls_config tls_cfg SEC(".rodata.tls") = {};

struct tls_call {
    __u64 ssl;
    __u64 buf;
    __u64 len_ptr; // the _ex forms: where the library writes the byte count (0: the return value is)
    __u64 sk;      // the socket the call moved bytes on (joined)
    __s32 fd;
    __u16 lport;
    __u16 rport;
    __u16 ingress;
    __u16 wide_ret; // the return value is a ssize_t (GnuTLS), else an int (OpenSSL)
    __u32 joined;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64); // pid_tgid: one call in flight per thread
    __type(value, struct tls_call);
} tls_calls SEC(".maps");

struct tls_key {
    __u32 tgid;
    __u32 pad;
    __u64 ssl;
};

struct tls_conn {
    __u64 sk; // the socket the session was last seen on
    struct conn_state st;
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, struct tls_key);
    __type(value, struct tls_conn);
} tls_conns SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct tls_stats);
} tls_stats_map SEC(".maps");

// Libraries that do their socket I/O outside the TLS calls (memory BIOs: Node.js reads the
// ciphertext, then calls SSL_read on it in the same callback; SSL_write's ciphertext is written
// after it returns). For processes user space lists here, the socket programs remember each
// thread's last socket read, and a TLS call whose session was never joined is joined to it (once:
// the entry is consumed). The socket is then marked TLS at its next event through tls_socks.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32); // tgid
    __type(value, __u8);
} bio_tgids SEC(".maps");

struct last_sock {
    __u64 sk;
    __s32 fd;
    __u16 lport;
    __u16 rport;
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64); // pid_tgid
    __type(value, struct last_sock);
} last_sock_map SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64); // struct sock *
    __type(value, __u64); // the SSL * joined to it
} tls_socks SEC(".maps");

// Go's crypto/tls: a goroutine may move between threads inside a call (it parks while the socket
// has no data), so its calls are keyed by goroutine: Go's register ABI keeps the current g in R14,
// in Go code and at the syscall instruction alike. go_tgids lists the processes with Go probes, so
// that other processes' socket events skip the lookup.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536); // an idle kept-alive connection keeps a goroutine in Read
    __type(key, struct tls_key); // {tgid, g}
    __type(value, struct tls_call);
} go_calls SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, __u32);
    __type(value, __u8);
} go_tgids SEC(".maps");

// Go handshakes in flight ((*Conn).handshakeContext), keyed by goroutine like go_calls (a Read
// runs the handshake inside itself, so they need their own table). The handshake may read the
// first application record along with its own: joining the session to its socket here lets a
// first Read served from that buffer join.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, struct tls_key);
    __type(value, struct tls_call);
} go_handshakes SEC(".maps");

#define tls_count(field)                                          \
    do {                                                          \
        __u32 zero_ = 0;                                          \
        struct tls_stats *s_ = bpf_map_lookup_elem(&tls_stats_map, &zero_); \
        if (s_)                                                   \
            s_->field += 1;                                       \
    } while (0)

// The Go TLS call in flight on this goroutine, if this is a process with Go probes.
static __always_inline struct tls_call *go_call(struct task_struct *task, __u64 id) {
    __u32 tgid = id >> 32;
    if (!bpf_map_lookup_elem(&go_tgids, &tgid))
        return NULL;
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
    if (!regs)
        return NULL;
    struct tls_key key = {.tgid = tgid, .ssl = regs->r14};
    struct tls_call *call = bpf_map_lookup_elem(&go_calls, &key);
    if (!call)
        call = bpf_map_lookup_elem(&go_handshakes, &key);
    return call;
}

// Processes that exec'd: their new executable may carry its own TLS (Go, Node.js). User space pops
// them at its next poll and scans them at once, instead of at its next /proc rescan, which would
// never read such a pid again anyway (an exec keeps the pid and its start time). The tracepoint
// fires once per exec only, unlike a syscall tracepoint (see the field notes).
struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 1024);
    __type(value, __u32);
} exec_tgids SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tls_on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (!tls_cfg.enabled || tgid == cfg.self_tgid || (cfg.only_tgid && tgid != cfg.only_tgid))
        return 0;
    tls_count(execs);
    if (bpf_map_push_elem(&exec_tgids, &tgid, 0) != 0)
        tls_count(exec_lost);
    return 0;
}

// Inside a socket send or receive: when a TLS call is in flight on this thread, this socket carries
// its ciphertext. Returns 1 when the event is TLS ciphertext (not to be reported), 0 otherwise.
static __always_inline int tls_join(struct sock *sk, struct task_struct *task, struct conn_state *st, int ingress) {
    __u64 id = bpf_get_current_pid_tgid();
    struct tls_call *call = bpf_map_lookup_elem(&tls_calls, &id);
    if (!call)
        call = go_call(task, id);
    if (!call)
        return st && st->tls; // a TLS socket outside a call (handshake, close_notify): ciphertext
    int fd = -1;
    if (!st || !st->tls) {
        struct user_bytes u = {};
        find_user_bytes(task, ingress, &u);
        if (u.fd < 0)
            return 0;
        if (!st)
            st = claim(sk, task, u.fd);
        if (!st)
            return 0;
        fd = u.fd;
        st->tls = 1;
        st->misses = 0; // handshake bytes seen before were ciphertext, not a failed HTTP start
    } else {
        fd = st->tls_fd;
    }
    st->tls_ssl = call->ssl;
    st->tls_tgid = id >> 32;
    st->tls_fd = fd;
    call->sk = (__u64)sk;
    call->fd = fd;
    call->lport = sk->__sk_common.skc_num;
    call->rport = bpf_ntohs(sk->__sk_common.skc_dport);
    call->joined = 1;
    return 1;
}

// A process whose TLS library uses memory BIOs: remember the thread's last socket read, and mark a
// socket that a TLS session was joined to as TLS. Returns 1 when the event is TLS ciphertext.
static __always_inline int tls_bio_socket(struct sock *sk, struct task_struct *task, struct conn_state *st, int ingress) {
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tgid = id >> 32;
    if (!bpf_map_lookup_elem(&bio_tgids, &tgid))
        return 0;
    struct user_bytes u = {};
    find_user_bytes(task, ingress, &u);
    if (u.fd < 0)
        return 0;
    __u64 skp = (__u64)sk;
    __u64 *ssl = bpf_map_lookup_elem(&tls_socks, &skp);
    if (ssl) {
        if (!st)
            st = claim(sk, task, u.fd);
        if (st) {
            st->tls = 1;
            st->misses = 0;
            st->tls_ssl = *ssl;
            st->tls_tgid = tgid;
            st->tls_fd = u.fd;
        }
        bpf_map_delete_elem(&tls_socks, &skp);
        return 1;
    }
    if (ingress) {
        struct last_sock ls = {.sk = skp, .fd = u.fd, .lport = sk->__sk_common.skc_num,
                               .rport = bpf_ntohs(sk->__sk_common.skc_dport)};
        bpf_map_update_elem(&last_sock_map, &id, &ls, BPF_ANY);
    }
    return 0;
}

// The TLS session of an ending socket: report its end and forget it.
static __always_inline void tls_end(struct sock *sk, struct conn_state *ended) {
    __u64 skp = (__u64)sk;
    bpf_map_delete_elem(&tls_socks, &skp);
    if (!ended->tls)
        return;
    struct tls_key key = {.tgid = ended->tls_tgid, .ssl = ended->tls_ssl};
    struct tls_conn *tc = bpf_map_lookup_elem(&tls_conns, &key);
    if (!tc || tc->sk != (__u64)sk)
        return;
    struct conn_state st = tc->st;
    if (bpf_map_delete_elem(&tls_conns, &key) != 0)
        return;
    if (!st.ignored && !st.misses && st.generation)
        emit_lifecycle(&st, KIND_CLOSE);
}

#include "h2.bpf.h"

// One send or receive on a socket, from inside the syscall (the user buffer is filled by now).
static __always_inline void on_data(struct sock *sk, long ret, int ingress) {
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    // Cheap checks first: every socket send and receive on the node passes here.
    if (!cfg.enabled || tgid == cfg.self_tgid || (cfg.only_tgid && tgid != cfg.only_tgid))
        return;
    __u16 family = sk->__sk_common.skc_family;
    if ((family != AF_INET && family != AF_INET6) || sk->sk_type != SOCK_STREAM || sk->sk_protocol != IPPROTO_TCP)
        return;
    struct task_struct *task = bpf_get_current_task_btf();
    if (task->flags & PF_KTHREAD)
        return;
    struct conn_state *st = bpf_sk_storage_get(&conns, sk, 0, 0);
    if (tls_cfg.enabled && (tls_join(sk, task, st, ingress) || tls_bio_socket(sk, task, st, ingress)))
        return; // ciphertext: the TLS probes report its plaintext
    if (st && st->ignored)
        return;
    struct user_bytes u = {};
    find_user_bytes(task, ingress, &u);
    if (st && st->h2) {
        h2_data(sk, st, &u, ret, ingress);
        return;
    }
    __u32 zero = 0;
    struct scratch *s = bpf_map_lookup_elem(&scratch_buf, &zero);
    if (!s)
        return;
    __u32 captured = capture(s, &u, ret);
    if (!st || st->misses) {
        // Not known as HTTP yet: a new connection, one older than the agent (maybe mid-message),
        // or another protocol. Wait for an event that starts like HTTP/1.x.
        if (u.fd < 0)
            return; // a length-only event tells nothing either way
        if (!st)
            st = claim(sk, task, u.fd);
        if (!st)
            return;
        int start = captured >= 4 ? http_start(s->data, captured) : START_NONE;
        if (start == START_NONE)
            start = h2_frame_start(s->data, captured, ret);
        if (start == START_NONE) {
            if (++st->misses >= MAX_MISSES) {
                st->ignored = 1;
                count(not_http);
            }
            return;
        }
        if (!st->generation && !start_conn(st, sk, tgid, u.fd, start, ingress))
            return;
        st->misses = 0;
        int h2 = h2_recognised(s->data, captured);
        if (h2) {
            if (h2_begin(sk, st, h2 == H2_BY_PREFACE ? ingress : -1))
                h2_data(sk, st, &u, ret, ingress);
            return;
        }
    } else if (h2_is_preface(s->data, captured)) {
        // The client's preface after an Upgrade: h2c (RFC 7540 3.2).
        if (h2_begin(sk, st, ingress))
            h2_data(sk, st, &u, ret, ingress);
        return;
    }
    fill_header(&s->hdr, st, ingress ? KIND_INGRESS : KIND_EGRESS, ret);
    s->hdr.captured = captured;
    submit(s, captured);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv, struct sock *sk, int ret, int flags) {
    if (ret > 0 && !(flags & MSG_PEEK)) // a peek is read again for real
        on_data(sk, ret, 1);
    return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send, struct sock *sk, int ret, int flags) {
    if (ret > 0)
        on_data(sk, ret, 0);
    return 0;
}

// A connection's end: forget its state and report it, once.
static __always_inline void end_conn(struct sock *sk, struct conn_state *st) {
    struct conn_state ended = *st;
    if (bpf_sk_storage_delete(&conns, sk) != 0)
        return; // another CPU ended it first
    if (!ended.ignored && !ended.misses && ended.generation) {
        struct conn_state plain = ended;
        plain.tls = 0; // plaintext HTTP seen on the socket itself (before a TLS session started on it)
        emit_lifecycle(&plain, KIND_CLOSE);
    }
    tls_end(sk, &ended);
}

#define NR_shutdown 48

// The connection ends when its owner closes it: close() moves an established socket to FIN_WAIT1,
// or after the peer's FIN to LAST_ACK, with both directions shut. shutdown(SHUT_WR) shuts only the
// sending side (or, after the peer's FIN, completes the pair from inside the shutdown syscall): the
// owner may still read, so those wait for the socket's destruction.
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_tcp_state, struct sock *sk, int oldstate, int newstate) {
    if (newstate != TCP_FIN_WAIT1 && newstate != TCP_LAST_ACK)
        return 0;
    if (sk->sk_shutdown != SHUTDOWN_MASK)
        return 0;
    // Every TCP close on the node passes here: rule out sockets we do not follow before reading
    // the task's registers.
    struct conn_state *st = bpf_sk_storage_get(&conns, sk, 0, 0);
    if (!st)
        return 0;
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
    if (regs && regs->orig_ax == NR_shutdown)
        return 0;
    end_conn(sk, st);
    return 0;
}

// Every other end: a socket that reached CLOSE (a reset, or the peer's FIN after our
// shutdown(SHUT_WR)) is destroyed once its owner lets it go, after any queued bytes were read.
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(on_tcp_destroy, struct sock *sk) {
    struct conn_state *st = bpf_sk_storage_get(&conns, sk, 0, 0);
    if (st)
        end_conn(sk, st);
    return 0;
}

// ---- TLS library probes (uprobes; attached by user space to each distinct library file).
// libbpf 1.1 has no BPF_UPROBE macros: BPF_KPROBE reads the same pt_regs.

static __always_inline int tls_enter(void *ssl, void *buf, void *len_ptr, int ingress, int wide_ret) {
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tgid = id >> 32;
    if (!cfg.enabled || tgid == cfg.self_tgid || (cfg.only_tgid && tgid != cfg.only_tgid))
        return 0;
    struct tls_call call = {.ssl = (__u64)ssl, .buf = (__u64)buf, .len_ptr = (__u64)len_ptr, .fd = -1, .ingress = ingress,
                            .wide_ret = wide_ret};
    if (bpf_map_update_elem(&tls_calls, &id, &call, BPF_ANY) != 0)
        tls_count(calls_full);
    return 0;
}

// SSL_read(ssl, buf, num)
SEC("uprobe")
int BPF_KPROBE(tls_read_enter, void *ssl, void *buf) {
    return tls_enter(ssl, buf, 0, 1, 0);
}

// SSL_write(ssl, buf, num)
SEC("uprobe")
int BPF_KPROBE(tls_write_enter, void *ssl, void *buf) {
    return tls_enter(ssl, buf, 0, 0, 0);
}

// gnutls_record_recv(session, data, size): returns ssize_t
SEC("uprobe")
int BPF_KPROBE(tls_recv_enter, void *session, void *buf) {
    return tls_enter(session, buf, 0, 1, 1);
}

// gnutls_record_send(session, data, size): returns ssize_t
SEC("uprobe")
int BPF_KPROBE(tls_send_enter, void *session, void *buf) {
    return tls_enter(session, buf, 0, 0, 1);
}

// SSL_read_ex(ssl, buf, num, size_t *readbytes)
SEC("uprobe")
int BPF_KPROBE(tls_read_ex_enter, void *ssl, void *buf, __u64 num, void *readbytes) {
    return tls_enter(ssl, buf, readbytes, 1, 0);
}

// SSL_write_ex(ssl, buf, num, size_t *written)
SEC("uprobe")
int BPF_KPROBE(tls_write_ex_enter, void *ssl, void *buf, __u64 num, void *written) {
    return tls_enter(ssl, buf, written, 0, 0);
}

// The session's state for a call: created when the call was joined to a socket (a session pointer
// reused for another socket starts over), else the one remembered from an earlier call.
static __always_inline struct tls_conn *tls_session(struct tls_call *call, struct tls_key *key) {
    struct tls_conn *tc = bpf_map_lookup_elem(&tls_conns, key);
    if (!call->joined || (tc && tc->sk == call->sk))
        return tc;
    if (tc) {
        // The session pointer now belongs to another socket: the old session ended unseen.
        struct conn_state old = tc->st;
        if (!old.ignored && !old.misses && old.generation)
            emit_lifecycle(&old, KIND_CLOSE);
    }
    struct tls_conn fresh = {};
    fresh.sk = call->sk;
    fresh.st.tgid = key->tgid;
    fresh.st.fd = call->fd;
    fresh.st.lport = call->lport;
    fresh.st.rport = call->rport;
    fresh.st.tls = 1;
    bpf_map_update_elem(&tls_conns, key, &fresh, BPF_ANY);
    return bpf_map_lookup_elem(&tls_conns, key);
}

// A session never seen on a socket, in a memory-BIO process: join it to the thread's last socket
// read (consumed), and have the socket marked TLS at its next event.
static __always_inline void tls_bio_join(struct tls_call *call, struct tls_key *key, __u64 id) {
    if (!bpf_map_lookup_elem(&bio_tgids, &key->tgid))
        return;
    struct last_sock *found = bpf_map_lookup_elem(&last_sock_map, &id);
    if (!found)
        return;
    struct last_sock ls = *found;
    bpf_map_delete_elem(&last_sock_map, &id);
    call->joined = 1;
    call->sk = ls.sk;
    call->fd = ls.fd;
    call->lport = ls.lport;
    call->rport = ls.rport;
    bpf_map_update_elem(&tls_socks, &ls.sk, &call->ssl, BPF_ANY);
}

// A TLS call returned: the plaintext moved, reported like a socket event.
static __always_inline int tls_finish(struct tls_call *found, long ret, __u64 id) {
    struct tls_call call = *found;
    __u64 n = 0;
    if (!call.wide_ret)
        ret = (int)ret; // an int return leaves the upper half of rax undefined
    if (call.len_ptr) {
        if (ret != 1 || bpf_probe_read_user(&n, sizeof(n), (void *)call.len_ptr) != 0)
            return 0;
    } else {
        if (ret <= 0)
            return 0;
        n = ret;
    }
    if (n == 0)
        return 0;
    struct tls_key key = {.tgid = id >> 32, .ssl = call.ssl};
    if (!call.joined && !bpf_map_lookup_elem(&tls_conns, &key))
        tls_bio_join(&call, &key, id);
    struct tls_conn *tc = tls_session(&call, &key);
    if (!tc) {
        tls_count(unjoined);
        return 0;
    }
    struct conn_state *st = &tc->st;
    if (st->ignored)
        return 0;
    __u32 zero = 0;
    struct scratch *s = bpf_map_lookup_elem(&scratch_buf, &zero);
    if (!s)
        return 0;
    __u32 captured = copy_chunk(s, 0, (const void *)call.buf, n);
    if (!st->generation || st->misses) {
        int start = captured >= 4 ? http_start(s->data, captured) : START_NONE;
        if (start == START_NONE) {
            if (++st->misses >= MAX_MISSES) {
                st->ignored = 1;
                count(not_http); // e.g. HTTP/2 inside TLS
            }
            return 0;
        }
        if (!st->generation) {
            st->generation = next_generation();
            st->role = (start == START_REQUEST) == call.ingress ? ROLE_SERVER : ROLE_CLIENT;
            process_comm(st->comm);
            st->ignored = !port_allowed(st->lport, st->rport) || !comm_allowed(st->comm);
            if (st->ignored)
                return 0;
            emit_lifecycle(st, st->role == ROLE_SERVER ? KIND_OPEN_SERVER : KIND_OPEN_CLIENT);
        }
        st->misses = 0;
    }
    fill_header(&s->hdr, st, call.ingress ? KIND_INGRESS : KIND_EGRESS, n);
    s->hdr.captured = captured;
    submit(s, captured);
    return 0;
}

// Return of the C library calls above (uretprobe).
SEC("uretprobe")
int BPF_KRETPROBE(tls_return, long ret) {
    __u64 id = bpf_get_current_pid_tgid();
    struct tls_call *found = bpf_map_lookup_elem(&tls_calls, &id);
    if (!found)
        return 0;
    struct tls_call call = *found;
    bpf_map_delete_elem(&tls_calls, &id);
    return tls_finish(&call, ret, id);
}

// Go crypto/tls.(*Conn).Read and .Write (register ABI: RAX receiver, RBX buffer, RCX length;
// R14 the goroutine). The return probes sit on each RET of the function (found by user space
// decoding its body): a uretprobe would rewrite a return address on a goroutine stack the
// runtime may move.
static __always_inline int go_enter(struct pt_regs *ctx, int ingress, void *table) {
    __u64 id = bpf_get_current_pid_tgid();
    __u32 tgid = id >> 32;
    if (!cfg.enabled || tgid == cfg.self_tgid || (cfg.only_tgid && tgid != cfg.only_tgid))
        return 0;
    if (!bpf_map_lookup_elem(&go_tgids, &tgid)) {
        __u8 one = 1;
        bpf_map_update_elem(&go_tgids, &tgid, &one, BPF_ANY);
    }
    struct tls_key key = {.tgid = tgid, .ssl = ctx->r14};
    struct tls_call call = {.ssl = ctx->ax, .buf = ctx->bx, .fd = -1, .ingress = ingress, .wide_ret = 1};
    if (bpf_map_update_elem(table, &key, &call, BPF_ANY) != 0)
        tls_count(calls_full);
    return 0;
}

SEC("uprobe")
int go_tls_read_enter(struct pt_regs *ctx) {
    return go_enter(ctx, 1, &go_calls);
}

SEC("uprobe")
int go_tls_write_enter(struct pt_regs *ctx) {
    return go_enter(ctx, 0, &go_calls);
}

SEC("uprobe")
int go_tls_return(struct pt_regs *ctx) {
    __u64 id = bpf_get_current_pid_tgid();
    struct tls_key key = {.tgid = id >> 32, .ssl = ctx->r14};
    struct tls_call *found = bpf_map_lookup_elem(&go_calls, &key);
    if (!found)
        return 0;
    struct tls_call call = *found;
    bpf_map_delete_elem(&go_calls, &key);
    return tls_finish(&call, ctx->ax, id);
}

SEC("uprobe")
int go_tls_handshake_enter(struct pt_regs *ctx) {
    return go_enter(ctx, 0, &go_handshakes);
}

// A handshake's return: the session's state, joined to the socket the handshake ran on.
SEC("uprobe")
int go_tls_handshake_return(struct pt_regs *ctx) {
    __u64 id = bpf_get_current_pid_tgid();
    struct tls_key key = {.tgid = id >> 32, .ssl = ctx->r14};
    struct tls_call *found = bpf_map_lookup_elem(&go_handshakes, &key);
    if (!found)
        return 0;
    struct tls_call call = *found;
    bpf_map_delete_elem(&go_handshakes, &key);
    if (!call.joined)
        return 0;
    struct tls_key session = {.tgid = id >> 32, .ssl = call.ssl};
    tls_session(&call, &session);
    return 0;
}
