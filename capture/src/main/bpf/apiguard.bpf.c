// SPDX-License-Identifier: GPL-2.0
// apiguard kernel side: socket syscalls of every process -> ring buffer of socket events.
//
// One program, on the raw sys_exit tracepoint: it sees every syscall's return and handles the
// data, connection and close syscalls (the saved user registers still hold the arguments there, so
// no enter program and no enter-to-exit map are needed). x86-64 only (syscall numbers and registers).
//
// Only AF_INET/AF_INET6 stream sockets are traced, never the agent's own process, and a
// connection whose first bytes are not HTTP/1.x is ignored in the kernel from then on.
// Each event carries at most MAX_CAPTURE bytes (the start of what the syscall moved) and the
// total length, so user space accounts for the rest by length.
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
#define EINPROGRESS 115

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 * 1024 * 1024); // user space may resize before load
} events SEC(".maps");

// Known connections: (tgid << 32 | fd) -> state. LRU so that leaked entries age out.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, __u64);
    __type(value, struct conn_state);
} conns SEC(".maps");

struct scratch {
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
    __uint(max_entries, STAT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
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

static __always_inline void count(__u32 stat) {
    __u64 *v = bpf_map_lookup_elem(&stats, &stat);
    if (v)
        *v += 1;
}

// The process's name (the thread group leader's comm): a JVM's threads carry their own names.
static __always_inline void process_comm(char *comm) {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct task_struct *leader = BPF_CORE_READ(task, group_leader);
    if (!leader || bpf_probe_read_kernel_str(comm, 16, &leader->comm) < 0)
        bpf_get_current_comm(comm, 16);
}

static __always_inline __u64 conn_key(__u32 tgid, int fd) {
    return ((__u64)tgid << 32) | (__u32)fd;
}

// False for the agent itself and for processes the config filters out.
static __always_inline int traced_process(__u32 tgid) {
    if (!cfg.enabled)
        return 0;
    if (tgid == cfg.self_tgid)
        return 0;
    if (cfg.only_tgid && tgid != cfg.only_tgid)
        return 0;
    if (cfg.only_comm[0]) {
        char comm[16];
        process_comm(comm);
        for (int i = 0; i < 16; i++) {
            if (comm[i] != cfg.only_comm[i])
                return 0;
            if (comm[i] == 0)
                break;
        }
    }
    return 1;
}

// The open file behind fd in the current process (task -> files -> fdt -> fd[fd]), or NULL.
static __always_inline struct file *current_file(int fd) {
    if (fd < 0)
        return NULL;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    if (!fdt)
        return NULL;
    unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
    if ((unsigned int)fd >= max_fds)
        return NULL;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *file = NULL;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    return file;
}

// Walks fd -> file -> inode and socket -> sock: is fd a TCP socket?
static __always_inline int inspect_socket(int fd, struct conn_state *st) {
    struct file *file = current_file(fd);
    if (!file)
        return 0;
    umode_t mode = BPF_CORE_READ(file, f_inode, i_mode);
    if ((mode & S_IFMT) != S_IFSOCK)
        return 0;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    if (!sock)
        return 0;
    struct sock *sk = BPF_CORE_READ(sock, sk);
    if (!sk)
        return 0;
    __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (family != AF_INET && family != AF_INET6)
        return 0;
    if (BPF_CORE_READ(sk, sk_type) != SOCK_STREAM)
        return 0;
    st->ino = BPF_CORE_READ(file, f_inode, i_ino);
    st->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
    st->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    return 1;
}

static __always_inline int port_allowed(struct conn_state *st) {
    if (!cfg.only_port)
        return 1;
    return st->lport == cfg.only_port || st->rport == cfg.only_port;
}

static __always_inline __u64 next_generation(void) {
    __u32 zero = 0;
    __u64 *g = bpf_map_lookup_elem(&generation, &zero);
    if (!g)
        return 0;
    return __sync_fetch_and_add(g, 1) + 1;
}

// The state of fd, creating it for sockets opened before the agent (role unknown).
static __always_inline struct conn_state *lookup_conn(__u32 tgid, int fd) {
    __u64 key = conn_key(tgid, fd);
    struct conn_state *st = bpf_map_lookup_elem(&conns, &key);
    if (st)
        return st->ignored ? NULL : st;
    struct conn_state fresh = {};
    if (!inspect_socket(fd, &fresh))
        return NULL;
    fresh.role = ROLE_UNKNOWN;
    fresh.generation = next_generation();
    process_comm(fresh.comm);
    fresh.ignored = !port_allowed(&fresh);
    bpf_map_update_elem(&conns, &key, &fresh, BPF_ANY);
    if (fresh.ignored)
        return NULL;
    return bpf_map_lookup_elem(&conns, &key);
}

static __always_inline void fill_header(struct event_hdr *h, __u32 tgid, int fd, struct conn_state *st,
                                        __u16 kind, __u64 total) {
    h->ts_ns = bpf_ktime_get_ns();
    h->generation = st->generation;
    h->total_len = total;
    h->tgid = tgid;
    h->fd = fd;
    h->kind = kind;
    h->role = st->role;
    h->captured = 0;
    h->lport = st->lport;
    h->rport = st->rport;
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
        count(STAT_RINGBUF_FULL);
}

static __always_inline void emit_lifecycle(__u32 tgid, int fd, struct conn_state *st, __u16 kind) {
    __u32 zero = 0;
    struct scratch *s = bpf_map_lookup_elem(&scratch_buf, &zero);
    if (!s)
        return;
    fill_header(&s->hdr, tgid, fd, st, kind, 0);
    submit(s, 0);
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

// HTTP/1.x messages start with a method or "HTTP/"; anything else at a stream's start is not ours.
static __always_inline int looks_like_http(const __u8 *p) {
    __u32 w = p[0] | (p[1] << 8) | (p[2] << 16) | ((__u32)p[3] << 24);
    switch (w) {
    case 0x20544547: // "GET "
    case 0x54534f50: // "POST"
    case 0x20545550: // "PUT "
    case 0x454c4544: // "DELE"
    case 0x44414548: // "HEAD"
    case 0x4954504f: // "OPTI"
    case 0x43544150: // "PATC"
    case 0x4e4e4f43: // "CONN"
    case 0x43415254: // "TRAC"
    case 0x50545448: // "HTTP"
        return 1;
    }
    return 0;
}

// Accounts for one successful data syscall on fd: its first bytes (from a buffer or an iovec array)
// and its total length.
static __always_inline void emit_data(__u32 tgid, int fd, __u64 buf, __u32 iov, __u64 iovcnt, __u16 kind,
                                      long ret) {
    struct conn_state *st = lookup_conn(tgid, fd);
    if (!st)
        return;
    __u32 zero = 0;
    struct scratch *s = bpf_map_lookup_elem(&scratch_buf, &zero);
    if (!s)
        return;
    fill_header(&s->hdr, tgid, fd, st, kind, ret);
    __u32 captured = 0;
    if (iov) {
        const struct iovec *vec = (const struct iovec *)buf;
        __u64 left = ret;
        for (int i = 0; i < MAX_IOV; i++) {
            if (i >= iovcnt || left == 0 || captured >= MAX_CAPTURE)
                break;
            struct iovec v = {};
            if (bpf_probe_read_user(&v, sizeof(v), &vec[i]) != 0)
                break;
            __u64 len = v.iov_len < left ? v.iov_len : left;
            captured += copy_chunk(s, captured, v.iov_base, len);
            left -= len;
        }
    } else if (buf) {
        captured = copy_chunk(s, 0, (const void *)buf, ret);
    }
    if (!st->http) {
        // Decide once per connection. A connection older than the agent may be mid-message:
        // skip its events until one starts like HTTP instead of ignoring it for good.
        if (captured >= 4 && looks_like_http(s->data)) {
            st->http = 1;
        } else {
            if (st->role != ROLE_UNKNOWN) {
                st->ignored = 1;
                count(STAT_NOT_HTTP);
            }
            return;
        }
    }
    s->hdr.captured = captured;
    submit(s, captured);
}

// A new connection on either side: fresh generation, known role.
static __always_inline void track_new(__u32 tgid, int fd, __u16 role, __u16 kind) {
    struct conn_state st = {};
    if (!inspect_socket(fd, &st))
        return;
    st.role = role;
    st.generation = next_generation();
    process_comm(st.comm);
    st.ignored = !port_allowed(&st);
    __u64 key = conn_key(tgid, fd);
    // Another thread's close of this fd number may not have reached its exit yet: that
    // connection ended, so say so before its state is replaced.
    struct conn_state *old = bpf_map_lookup_elem(&conns, &key);
    if (old && old->ino != st.ino && !old->ignored && old->http) {
        struct conn_state ended = *old;
        emit_lifecycle(tgid, fd, &ended, KIND_CLOSE);
    }
    if (bpf_map_update_elem(&conns, &key, &st, BPF_ANY) != 0) {
        count(STAT_CONNS_FULL);
        return;
    }
    if (!st.ignored)
        emit_lifecycle(tgid, fd, &st, kind);
}

#define TS_COMPAT 0x0002

// A 32-bit task: its syscall numbers mean other syscalls.
static __always_inline int compat_task(void) {
    return bpf_get_current_task_btf()->thread_info.status & TS_COMPAT;
}

// A closed (or dup2-replaced) fd: forget its connection and tell user space. By this exit the fd
// number may already belong to a new socket that another thread accepted or connected; its state
// (same fd key, another socket inode) then stays, and track_new has already reported the old
// connection closed.
static __always_inline void forget_closed(int fd) {
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    // Every close on the node passes here: skip the map lookup early where that is cheap (the
    // comm filter would cost more than the lookup it saves).
    if (!cfg.enabled || tgid == cfg.self_tgid || (cfg.only_tgid && tgid != cfg.only_tgid))
        return;
    if (compat_task())
        return;
    __u64 key = conn_key(tgid, fd);
    struct conn_state *st = bpf_map_lookup_elem(&conns, &key);
    if (!st)
        return;
    struct conn_state copy = *st;
    // Inode numbers, not file pointers: a freed file's memory is soon reused for the next one.
    struct file *now = current_file(fd);
    if (now && BPF_CORE_READ(now, f_inode, i_ino) == copy.ino)
        return; // already the new connection's state (or the same socket again, through dup2)
    bpf_map_delete_elem(&conns, &key);
    if (!copy.ignored && copy.http)
        emit_lifecycle(tgid, fd, &copy, KIND_CLOSE);
}

// x86-64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl).
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_readv 19
#define NR_writev 20
#define NR_dup2 33
#define NR_sendfile 40
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_accept4 288
#define NR_dup3 292

// Every syscall of every task returns through here, so the common case (another syscall, a
// failure, an untraced process) must return within a few instructions. Arguments come from the
// saved user registers (di, si, dx: the first three arguments), which the syscall left intact.
SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret) {
    long nr = regs->orig_ax;
    switch (nr) {
    case NR_read:
    case NR_write:
    case NR_readv:
    case NR_writev:
    case NR_sendfile:
    case NR_sendto:
    case NR_recvfrom:
    case NR_sendmsg:
    case NR_recvmsg:
    case NR_accept:
    case NR_accept4:
        if (ret <= 0)
            return 0;
        break;
    case NR_connect:
        if (ret != 0 && ret != -EINPROGRESS)
            return 0;
        break;
    case NR_close:
        if (ret == 0)
            forget_closed(regs->di);
        return 0;
    case NR_dup2:
    case NR_dup3:
        // dup2(old, new) closes what new referred to, without a close syscall.
        if (ret >= 0)
            forget_closed(ret);
        return 0;
    default:
        return 0;
    }
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (!traced_process(tgid))
        return 0;
    if (compat_task())
        return 0;
    int fd = regs->di;
    __u64 buf = regs->si;
    __u64 iovcnt = 0;
    __u32 iov = 0;
    __u16 kind = KIND_INGRESS;
    switch (nr) {
    case NR_accept:
    case NR_accept4:
        track_new(tgid, ret, ROLE_SERVER, KIND_ACCEPT);
        return 0;
    case NR_connect:
        track_new(tgid, fd, ROLE_CLIENT, KIND_CONNECT);
        return 0;
    case NR_write:
    case NR_sendto:
        kind = KIND_EGRESS;
        break;
    case NR_readv:
    case NR_writev:
        iov = 1;
        iovcnt = regs->dx;
        kind = nr == NR_writev ? KIND_EGRESS : KIND_INGRESS;
        break;
    case NR_recvmsg:
    case NR_sendmsg: {
        // The iovec array is behind the user's msghdr.
        struct user_msghdr msg = {};
        if (bpf_probe_read_user(&msg, sizeof(msg), (void *)buf) != 0)
            return 0;
        buf = (__u64)msg.msg_iov;
        iov = 1;
        iovcnt = msg.msg_iovlen;
        kind = nr == NR_sendmsg ? KIND_EGRESS : KIND_INGRESS;
        break;
    }
    case NR_sendfile:
        // sendfile(out_fd, in_fd, offset, count): the body never passes a user buffer; count it by length.
        buf = 0;
        kind = KIND_EGRESS;
        break;
    }
    emit_data(tgid, fd, buf, iov, iovcnt, kind, ret);
    return 0;
}

