// A tiny HTTP/1.1 keep-alive server for bench/agent-memory.sh: one process is one service (the script
// gives each its own SERVICE_NAME). Single-threaded epoll on 127.0.0.1, any free port, written to
// PORT_FILE once listening. Every request (no body expected) gets a small JSON answer; paths whose
// first segment ends in 'z' get a 200 whose body says the operation failed (a business error), so
// the agent's error series are populated too.
// usage: mem_server PORT_FILE
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 4096
#define BUF 8192

static char *bufs[MAX_FD];
static size_t lens[MAX_FD];

static const char OK_BODY[] = "{\"ok\":true,\"items\":[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"}]}";
static const char FAIL_BODY[] = "{\"success\":false,\"error\":{\"code\":\"DECLINED\",\"message\":\"card declined\"}}";
static char ok_resp[512], fail_resp[512];
static int ok_len, fail_len;

static void drop(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(bufs[fd]);
    bufs[fd] = NULL;
    lens[fd] = 0;
}

// Answers every complete request in the buffer; returns -1 when the connection must close.
static int serve(int fd) {
    char *b = bufs[fd];
    size_t start = 0;
    for (;;) {
        char *end = memmem(b + start, lens[fd] - start, "\r\n\r\n", 4);
        if (!end) break;
        // "GET /seg/..." : a failing route is one whose first segment ends in 'z'
        char *path = memchr(b + start, ' ', (size_t)(end - (b + start)));
        int failing = 0;
        if (path) {
            char *seg_end = path + 2;
            while (seg_end < end && *seg_end != '/' && *seg_end != ' ' && *seg_end != '?') seg_end++;
            failing = seg_end[-1] == 'z';
        }
        const char *r = failing ? fail_resp : ok_resp;
        int n = failing ? fail_len : ok_len, off = 0;
        while (off < n) {
            ssize_t w = write(fd, r + off, n - off);
            if (w < 0) {
                if (errno == EAGAIN || errno == EINTR) continue; // tiny answers: the socket buffer drains at once
                return -1;
            }
            off += w;
        }
        start = (size_t)(end - b) + 4;
    }
    memmove(b, b + start, lens[fd] - start);
    lens[fd] -= start;
    return lens[fd] == BUF ? -1 : 0;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: mem_server PORT_FILE\n"); return 2; }
    ok_len = snprintf(ok_resp, sizeof(ok_resp), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(OK_BODY), OK_BODY);
    fail_len = snprintf(fail_resp, sizeof(fail_resp), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(FAIL_BODY), FAIL_BODY);
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    if (bind(l, (void *)&a, sizeof(a)) || listen(l, 512) || getsockname(l, (void *)&a, &al)) { perror("mem_server: listen"); return 1; }
    FILE *pf = fopen(argv[1], "w");
    if (!pf) { perror("mem_server: port file"); return 1; }
    fprintf(pf, "%d\n", ntohs(a.sin_port));
    fclose(pf);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l}, evs[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0) { if (errno == EINTR) continue; return 1; }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == l) {
                int c;
                while ((c = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= MAX_FD) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                    bufs[c] = malloc(BUF);
                    lens[c] = 0;
                    struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            // One read per readiness (level-triggered): no extra read that only returns EAGAIN.
            ssize_t r = read(fd, bufs[fd] + lens[fd], BUF - lens[fd]);
            if (r > 0) {
                lens[fd] += r;
                if (serve(fd) < 0) drop(ep, fd);
            } else if (!(r < 0 && (errno == EAGAIN || errno == EINTR))) {
                drop(ep, fd);
            }
        }
    }
}
