// SPDX-License-Identifier: GPL-2.0
// HTTP/2 frame walk (included from apiguard.bpf.c after its generic helpers).
//
// A connection recognised as HTTP/2 (the client's preface, a HEADERS frame on a connection older
// than the agent, or the preface after an HTTP/1.1 Upgrade: h2c) is no longer captured as "the
// first MAX_CAPTURE bytes of each syscall": one write may carry many frames of many streams. Each
// send or receive is walked frame header by frame header (bpf_loop, one step per frame header,
// payload piece or iovec), and only what user space needs is copied:
//   - every frame header (9 bytes);
//   - HEADERS, CONTINUATION and PUSH_PROMISE payloads in full, up to H2_MAX_BLOCK_FRAME bytes per
//     frame (HPACK needs every header block of a direction, or its dynamic table is lost);
//   - the first H2_DATA_PREFIX bytes of each stream's first DATA frame in the response direction
//     (the response body's start, for semantics); request DATA is counted by length;
//   - the 4 bytes of RST_STREAM and the first 8 of GOAWAY (the error code and last stream id);
//   - everything else (other DATA, SETTINGS, PING, WINDOW_UPDATE, padding...) by length only.
// The walk's position (inside a frame header, a payload to copy or to skip) is carried per
// connection and direction in socket storage, so frames and frame headers split across syscalls
// are followed.
//
// Event format: event_hdr.flags has EVENT_FLAG_H2; the data is a sequence of segments, each an
// 8-byte header {__u32 len; __u32 gap} (little endian) followed by `len` bytes copied from the
// stream, then `gap` bytes that passed uncopied. A syscall's bytes are covered in order by one or
// more records (a record holds at most H2_REC bytes of data); each record's total_len is the bytes
// it covers (sum of len + gap). Bytes after a segment's gap always start a frame header or continue
// a copied payload, never a skipped one.
//
// Bounds, each counted in h2_stats when hit (never silently lost):
//   - a header-block frame longer than H2_MAX_BLOCK_FRAME: the rest is a gap (block_cut); user space
//     sees the cut, drops the block and resets HPACK for the direction;
//   - more than H2_MAX_STEPS steps in one syscall, a syscall without a user buffer (sendfile) that
//     does not end inside the current payload, a failed read or a full ring buffer: the direction
//     loses the frame boundaries (lost). It resynchronises at the next syscall whose first 9 bytes
//     form a plausible frame header. The first record of each syscall walked while lost carries
//     EVENT_FLAG_H2_LOST: user space drops its own frame position before reading it.
#ifndef APIGUARD_H2_BPF_H
#define APIGUARD_H2_BPF_H

#define H2_REC 8192              // data bytes per record (segment headers included); a power of 2
#define H2_MAX_BLOCK_FRAME 16384 // header-block payload bytes copied per frame (the default max frame size)
#define H2_DATA_PREFIX 1030      // pad length + gRPC message header (5) + MAX_CAPTURE bytes of a body
#define H2_MAX_STEPS 8192        // walk steps per syscall (about 3 per frame, 1 per iovec)
#define H2_MAX_IOV 1024          // iovecs walked per syscall (UIO_MAXIOV)
#define H2_STREAM_BITS 1024      // streams whose first DATA is remembered at once (ids modulo 2048)
#define H2_SEG_HDR 8

#define H2_DATA 0
#define H2_HEADERS 1
#define H2_PRIORITY 2
#define H2_RST_STREAM 3
#define H2_SETTINGS 4
#define H2_PUSH_PROMISE 5
#define H2_PING 6
#define H2_GOAWAY 7
#define H2_WINDOW_UPDATE 8
#define H2_CONTINUATION 9

#define H2_PHASE_HEADER 0
#define H2_PHASE_PAYLOAD 1

// One direction of one connection: where the walk stands at the end of the last syscall.
struct h2_dir {
    __u32 copy_left; // payload bytes still to copy
    __u32 skip_left; // payload bytes still to count by length (after the copied ones)
    __u8 phase;
    __u8 hdr_fill;   // bytes of the frame header seen so far
    __u8 lost;       // boundaries lost: resynchronise at the next syscall start
    __u8 check;      // the next syscall must start with a plausible frame header, else lost
    __u8 hdr[24];    // the frame header being read (9 bytes used; room for the verifier's offset + length)
    __u64 data_seen[H2_STREAM_BITS / 64]; // response direction: streams whose first DATA was copied
};

struct h2_conn {
    struct h2_dir dir[2]; // [0] egress, [1] ingress
};

struct {
    __uint(type, BPF_MAP_TYPE_SK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct h2_conn);
} h2_socks SEC(".maps");

// The walk's position in the syscall. Kept in the per-CPU scratch map, not on the stack: the
// verifier then sees its fields as unknown values, and bpf_loop's callback converges at once.
struct h2_walk {
    const struct iovec *vec;
    __u64 iovcnt;
    __u64 iov_idx;
    __u64 cur;      // user address of the next byte
    __u64 cur_left; // bytes left in the current buffer or iovec
    __u64 left;     // bytes of the syscall not yet walked
    __u64 covered;  // bytes of the syscall the record being built covers
    __u32 fill;     // data bytes in the record being built
    __u32 seg_off;  // the open segment's header offset
    __u32 seg_len;
    __u32 seg_gap;
    __u8 seg_open;
    __u8 resp;      // the response direction
    __u8 failed;    // stop: the direction is lost
    __u8 has_buf;
    __u16 flags;    // event flags of the next record
};

struct h2_scratch {
    struct h2_walk w;
    struct event_hdr hdr;
    __u8 data[H2_REC * 2]; // room for the verifier's worst case of offset + length
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct h2_scratch);
} h2_scratch_buf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct h2_stats);
} h2_stats_map SEC(".maps");

// bpf_loop's context (on the stack): the scratch (walk + record) and the direction's state.
struct h2_loop {
    struct h2_scratch *s;
    struct h2_dir *d;
};

#define h2_count(field)                                                    \
    do {                                                                   \
        __u32 zero_ = 0;                                                   \
        struct h2_stats *s_ = bpf_map_lookup_elem(&h2_stats_map, &zero_);  \
        if (s_)                                                            \
            s_->field += 1;                                                \
    } while (0)


// Writes the open segment's header into the record.
static __always_inline void h2_close_seg(struct h2_scratch *s) {
    struct h2_walk *w = &s->w;
    if (!w->seg_open)
        return;
    w->seg_open = 0;
    __u32 off = w->seg_off;
    asm volatile("" : "+r"(off));
    off &= (H2_REC - 1);
    __u32 v[2] = {w->seg_len, w->seg_gap};
    __builtin_memcpy(&s->data[off], v, sizeof(v));
}

// Sends the record built so far; a new one starts empty.
static __always_inline int h2_flush(struct h2_scratch *s) {
    struct h2_walk *w = &s->w;
    h2_close_seg(s);
    if (w->fill == 0 && w->covered == 0)
        return 1;
    s->hdr.total_len = w->covered;
    s->hdr.captured = w->fill;
    s->hdr.flags = w->flags;
    __u64 size = sizeof(struct event_hdr) + (w->fill & (H2_REC * 2 - 1));
    int ok = 1;
    if (size > sizeof(s->hdr) + sizeof(s->data) || bpf_ringbuf_output(&events, &s->hdr, size, BPF_RB_NO_WAKEUP) != 0) {
        count(ringbuf_full);
        ok = 0;
    }
    w->flags &= ~EVENT_FLAG_H2_LOST;
    w->fill = 0;
    w->covered = 0;
    return ok;
}

static __always_inline void h2_open_seg(struct h2_walk *w) {
    w->seg_open = 1;
    w->seg_off = w->fill;
    w->seg_len = 0;
    w->seg_gap = 0;
    w->fill += H2_SEG_HDR;
}

// Copies up to n bytes at the walk's position into the record; returns how many (0: no room,
// the caller flushes first).
static __always_inline __u32 h2_copy(struct h2_scratch *s, __u64 n) {
    struct h2_walk *w = &s->w;
    __u32 need = (w->seg_open && w->seg_gap == 0) ? 0 : H2_SEG_HDR;
    if (w->fill + need >= H2_REC)
        return 0;
    __u64 room = H2_REC - w->fill - need;
    if (n > room)
        n = room;
    if (n == 0)
        return 0;
    if (need) {
        h2_close_seg(s);
        h2_open_seg(w);
    }
    __u32 off = w->fill;
    asm volatile("" : "+r"(n));
    asm volatile("" : "+r"(off));
    n &= (H2_REC - 1);
    off &= (H2_REC - 1);
    if (n == 0 || bpf_probe_read_user(&s->data[off], n, (const void *)w->cur) != 0) {
        w->failed = 1;
        return 0;
    }
    w->fill += n;
    w->seg_len += n;
    return n;
}

static __always_inline int h2_gap(struct h2_scratch *s, __u64 n) {
    struct h2_walk *w = &s->w;
    if (!w->seg_open) {
        if (w->fill + H2_SEG_HDR > H2_REC && !h2_flush(s))
            return 0;
        h2_open_seg(w);
    }
    w->seg_gap += n;
    return 1;
}

static __always_inline void h2_advance(struct h2_walk *w, __u64 n) {
    w->cur += n;
    w->cur_left -= n;
    w->left -= n;
    w->covered += n;
}

// The frame header user space accepts as a resynchronisation point (Http2Framer.plausibleFrameHeader).
static __always_inline int h2_plausible(const __u8 *h) {
    __u32 len = ((__u32)h[0] << 16) | ((__u32)h[1] << 8) | h[2];
    __u8 type = h[3];
    __u32 stream = (((__u32)h[5] & 0x7f) << 24) | ((__u32)h[6] << 16) | ((__u32)h[7] << 8) | h[8];
    if (type > H2_CONTINUATION || (h[5] & 0x80))
        return 0;
    int conn_level = type == H2_SETTINGS || type == H2_PING || type == H2_GOAWAY;
    if (conn_level != (stream == 0) && type != H2_WINDOW_UPDATE)
        return 0;
    switch (type) {
    case H2_SETTINGS:
        return len % 6 == 0;
    case H2_PING:
        return len == 8;
    case H2_RST_STREAM:
    case H2_WINDOW_UPDATE:
        return len == 4;
    case H2_PRIORITY:
        return len == 5;
    }
    return 1;
}

// A whole frame header was read: what of its payload to copy.
static __always_inline void h2_frame(struct h2_walk *w, struct h2_dir *d) {
    __u32 len = ((__u32)d->hdr[0] << 16) | ((__u32)d->hdr[1] << 8) | d->hdr[2];
    __u8 type = d->hdr[3];
    __u32 stream = (((__u32)d->hdr[5] & 0x7f) << 24) | ((__u32)d->hdr[6] << 16) | ((__u32)d->hdr[7] << 8) | d->hdr[8];
    __u32 idx = (stream >> 1) & (H2_STREAM_BITS - 1);
    __u64 bit = 1ULL << (idx & 63);
    __u32 word = (idx >> 6) & (H2_STREAM_BITS / 64 - 1);
    __u32 copy = 0;
    switch (type) {
    case H2_HEADERS:
    case H2_CONTINUATION:
    case H2_PUSH_PROMISE:
        copy = len;
        if (copy > H2_MAX_BLOCK_FRAME) {
            copy = H2_MAX_BLOCK_FRAME;
            h2_count(block_cut);
        }
        if (type == H2_HEADERS && w->resp)
            d->data_seen[word] &= ~bit; // a response's headers: its first DATA is still to come
        break;
    case H2_DATA:
        if (w->resp && !(d->data_seen[word] & bit)) {
            d->data_seen[word] |= bit;
            copy = len < H2_DATA_PREFIX ? len : H2_DATA_PREFIX;
        }
        break;
    case H2_RST_STREAM:
        copy = len < 4 ? len : 4;
        break;
    case H2_GOAWAY:
        copy = len < 8 ? len : 8;
        break;
    }
    d->copy_left = copy;
    d->skip_left = len - copy;
    d->hdr_fill = 0;
    d->phase = (len == 0) ? H2_PHASE_HEADER : H2_PHASE_PAYLOAD;
}

// One step of the walk (bpf_loop callback): the next iovec, a frame header piece, or a payload piece.
static long h2_step(__u64 i, void *ctx) {
    struct h2_loop *l = ctx;
    struct h2_scratch *s = l->s;
    struct h2_dir *d = l->d;
    struct h2_walk *w = &s->w;
    if (w->left == 0 || w->failed)
        return 1;
    if (w->cur_left == 0) {
        if (!w->has_buf || w->iov_idx >= w->iovcnt || w->iov_idx >= H2_MAX_IOV)
            return 1;
        struct iovec v = {};
        if (bpf_probe_read_user(&v, sizeof(v), &w->vec[w->iov_idx & (H2_MAX_IOV - 1)]) != 0)
            return 1;
        w->iov_idx++;
        w->cur = (__u64)v.iov_base;
        w->cur_left = v.iov_len < w->left ? v.iov_len : w->left;
        return 0;
    }
    if (d->phase == H2_PHASE_HEADER) {
        __u32 fill = d->hdr_fill;
        if (fill >= 9) {
            w->failed = 1;
            return 1;
        }
        __u64 n = 9 - fill;
        if (n > w->cur_left)
            n = w->cur_left;
        asm volatile("" : "+r"(n));
        asm volatile("" : "+r"(fill));
        n &= 15;
        fill &= 7 | 8;
        if (n == 0 || n > 9 || fill > 8 || bpf_probe_read_user(&d->hdr[fill], n, (const void *)w->cur) != 0) {
            w->failed = 1;
            return 1;
        }
        if (d->check && fill + n == 9) {
            // The first frame header after a switch or a loss: only a plausible one is trusted.
            d->check = 0;
            if (!h2_plausible(d->hdr)) {
                w->failed = 1;
                return 1;
            }
            d->lost = 0;
        }
        if (w->fill + H2_SEG_HDR + 9 > H2_REC && !h2_flush(s)) {
            w->failed = 1;
            return 1;
        }
        if (h2_copy(s, n) != n) {
            w->failed = 1;
            return 1;
        }
        h2_advance(w, n);
        d->hdr_fill = fill + n;
        if (d->hdr_fill == 9)
            h2_frame(w, d);
        return 0;
    }
    if (d->copy_left) {
        __u64 n = d->copy_left < w->cur_left ? d->copy_left : w->cur_left;
        __u32 c = h2_copy(s, n);
        if (w->failed)
            return 1;
        if (c == 0) {
            if (!h2_flush(s))
                w->failed = 1;
            return 0;
        }
        h2_advance(w, c);
        d->copy_left -= c;
    } else {
        __u64 n = d->skip_left < w->cur_left ? d->skip_left : w->cur_left;
        if (!h2_gap(s, n)) {
            w->failed = 1;
            return 1;
        }
        h2_advance(w, n);
        d->skip_left -= n;
    }
    if (!d->copy_left && !d->skip_left)
        d->phase = H2_PHASE_HEADER;
    return 0;
}

// The connection turns HTTP/2: its walk state, one direction starting with the client's preface
// (copied like a payload) when `preface_dir` is 0 or 1. The other direction's first frame header
// is checked (on an upgraded connection it may be mid-frame).
static __always_inline struct h2_conn *h2_begin(struct sock *sk, struct conn_state *st, int preface_dir) {
    struct h2_conn *c = bpf_sk_storage_get(&h2_socks, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
    if (!c) {
        count(conns_full);
        return NULL;
    }
    __builtin_memset(c, 0, sizeof(*c));
    for (int i = 0; i < 2; i++) {
        if (i == preface_dir) {
            c->dir[i].phase = H2_PHASE_PAYLOAD;
            c->dir[i].copy_left = H2_PREFACE_LEN;
        } else {
            c->dir[i].check = 1;
        }
    }
    st->h2 = 1;
    return c;
}

// One send or receive on an HTTP/2 connection: walks its frames and emits one or more records.
static __always_inline void h2_data(struct sock *sk, struct conn_state *st, struct user_bytes *u, long ret, int ingress) {
    struct h2_conn *c = bpf_sk_storage_get(&h2_socks, sk, 0, 0);
    if (!c)
        return;
    __u32 zero = 0;
    struct h2_scratch *s = bpf_map_lookup_elem(&h2_scratch_buf, &zero);
    if (!s)
        return;
    struct h2_dir *d = &c->dir[ingress & 1];
    fill_header(&s->hdr, st, ingress ? KIND_INGRESS : KIND_EGRESS, 0);
    struct h2_walk *w = &s->w;
    __builtin_memset(w, 0, sizeof(*w));
    w->left = ret;
    w->flags = s->hdr.flags | EVENT_FLAG_H2;
    w->resp = (st->role == ROLE_SERVER) == !ingress;
    if (u->fd >= 0) {
        w->has_buf = 1;
        if (u->iov) {
            w->vec = (const struct iovec *)u->buf;
            w->iovcnt = u->iovcnt;
        } else {
            w->cur = u->buf;
            w->cur_left = ret;
        }
    }
    if (d->lost) {
        // Resynchronise at this syscall's start if it looks like a frame header; user space drops
        // its own position first (EVENT_FLAG_H2_LOST).
        w->flags |= EVENT_FLAG_H2_LOST;
        d->phase = H2_PHASE_HEADER;
        d->hdr_fill = 0;
        d->copy_left = 0;
        d->skip_left = 0;
        d->check = 1;
    }
    struct h2_loop l = {.s = s, .d = d};
    bpf_loop(H2_MAX_STEPS, h2_step, &l, 0);
    if (w->left > 0) {
        // Not walked to the end: still in sync only when the rest lies inside the current payload.
        if (!w->failed && d->phase == H2_PHASE_PAYLOAD && w->left <= (__u64)d->copy_left + d->skip_left) {
            if (d->copy_left) {
                __u64 left = w->left;
                __u32 cut = left < d->copy_left ? left : d->copy_left;
                d->copy_left -= cut;
                d->skip_left -= left - cut;
                h2_count(payload_cut);
            } else {
                d->skip_left -= w->left;
            }
            if (!d->copy_left && !d->skip_left)
                d->phase = H2_PHASE_HEADER;
        } else {
            if (!d->lost)
                h2_count(lost);
            d->lost = 1;
            d->check = 0;
        }
        if (h2_gap(s, w->left))
            w->covered += w->left;
    }
    h2_flush(s);
}

// A connection known as HTTP/1.x: the client's preface after an Upgrade: h2c.
static __always_inline int h2_is_preface(const __u8 *p, __u32 captured) {
    return captured >= H2_PREFACE_LEN && p[0] == 'P' && p[1] == 'R' && p[2] == 'I' && p[3] == ' ' && p[4] == '*'
           && p[9] == 'P' && p[13] == '0' && p[18] == 'S' && p[19] == 'M' && p[23] == '\n';
}

#define H2_BY_PREFACE 1
#define H2_BY_HEADERS 2

// How a connection just recognised is HTTP/2: the client's preface, or a HEADERS frame (one older
// than the agent: h2_frame_start matched); 0 for HTTP/1.x.
static __always_inline int h2_recognised(const __u8 *p, __u32 captured) {
    if (h2_is_preface(p, captured))
        return H2_BY_PREFACE;
    if (captured >= 10 && http_start(p, captured) == START_NONE && p[3] == H2_FRAME_HEADERS)
        return H2_BY_HEADERS;
    return 0;
}

#endif
