// Load for bench/agent-memory.sh: exactly TOTAL HTTP/1.1 keep-alive GETs over CONNS connections per
// service port (one request in flight per connection), spread over ROUTES routes. Route r has the
// literal first segment "res" + three letters (r in base 26: resaaa, resaab, ...) and is served by
// service r % SERVICES, so each service has ROUTES/SERVICES routes; the path ends in a changing
// numeric id (/resaab/items/417), which the agent templates to {id}: one route per first segment.
// usage: mem_load PORTS_FILE ROUTES TOTAL CONNS_PER_SERVICE TIMEOUT_SECONDS [RATE]
// RATE: at most this many requests per second in all (0 or absent: as fast as the servers answer).
// PORTS_FILE has one port per line, one per service. Prints "requests=N seconds=S rps=R"; exit 1
// on any error or when TIMEOUT_SECONDS pass first.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 8192

typedef struct {
    int fd, service;
    long left, sent;
    int route_cursor;
    size_t len;
    char buf[BUF];
} conn;

static int services, routes;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static int send_request(conn *c) {
    // this service's routes are service, service + SERVICES, service + 2*SERVICES, ...
    int per = (routes - c->service + services - 1) / services;
    int r = c->service + (c->route_cursor++ % per) * services;
    char req[256];
    int n = snprintf(req, sizeof(req), "GET /res%c%c%c/items/%ld HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: mem_load\r\n\r\n",
                     'a' + r / 676 % 26, 'a' + r / 26 % 26, 'a' + r % 26, c->sent % 100000);
    c->sent++;
    int off = 0;
    while (off < n) {
        ssize_t w = write(c->fd, req + off, n - off);
        if (w < 0) { if (errno == EINTR || errno == EAGAIN) continue; return -1; }
        off += w;
    }
    return 0;
}

// Consumes complete responses from the buffer; returns how many, or -1 on a malformed or non-200 one.
static int responses(conn *c) {
    int done = 0;
    size_t start = 0;
    for (;;) {
        char *head_end = memmem(c->buf + start, c->len - start, "\r\n\r\n", 4);
        if (!head_end) break;
        if (strncmp(c->buf + start, "HTTP/1.1 200 ", 13)) return -1;
        size_t head = (size_t)(head_end - (c->buf + start)) + 4;
        char *cl = NULL;
        for (char *p = c->buf + start; p + 16 < head_end; p++) {
            if (!strncasecmp(p, "\r\nContent-Length:", 17)) { cl = p + 17; break; }
        }
        if (!cl) return -1;
        size_t body = strtoul(cl, NULL, 10);
        if (c->len - start < head + body) break;
        start += head + body;
        done++;
    }
    memmove(c->buf, c->buf + start, c->len - start);
    c->len -= start;
    return done;
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) { fprintf(stderr, "usage: mem_load PORTS_FILE ROUTES TOTAL CONNS_PER_SERVICE TIMEOUT_SECONDS [RATE]\n"); return 2; }
    double rate = argc == 7 ? atof(argv[6]) : 0;
    int ports[4096];
    FILE *pf = fopen(argv[1], "r");
    if (!pf) { perror("mem_load: ports file"); return 2; }
    services = 0;
    while (services < 4096 && fscanf(pf, "%d", &ports[services]) == 1) services++;
    fclose(pf);
    routes = atoi(argv[2]);
    long total = atol(argv[3]);
    int per_service = atoi(argv[4]);
    double timeout = atof(argv[5]);
    if (services < 1 || routes < services || routes > 17576 || total < 1 || per_service < 1) {
        fprintf(stderr, "mem_load: need 1..4096 ports, SERVICES <= ROUTES <= 17576, TOTAL >= 1, CONNS >= 1\n");
        return 2;
    }
    int nconns = services * per_service, one = 1;
    conn *cs = calloc(nconns, sizeof(conn));
    int ep = epoll_create1(0);
    long active = 0;
    for (int i = 0; i < nconns; i++) {
        conn *c = &cs[i];
        c->service = i % services;
        c->left = total / nconns + (i < total % nconns ? 1 : 0);
        if (c->left == 0) { c->fd = -1; continue; }
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(ports[c->service]), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (connect(c->fd, (void *)&a, sizeof(a))) { perror("mem_load: connect"); return 1; }
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
        active++;
    }
    double t0 = now();
    long completed = 0, started = 0;
    // Connections ready for their next request but held back by RATE.
    conn **idle = calloc(nconns, sizeof(conn *));
    int nidle = 0;
    for (int i = 0; i < nconns; i++) {
        if (cs[i].fd >= 0) idle[nidle++] = &cs[i];
    }
    struct epoll_event evs[512];
    while (active > 0) {
        double t = now();
        while (nidle > 0 && (rate <= 0 || started < rate * (t - t0))) {
            if (send_request(idle[--nidle])) { perror("mem_load: write"); return 1; }
            started++;
        }
        if (t - t0 > timeout) {
            fprintf(stderr, "mem_load: timeout after %.0f s with %ld of %ld requests answered\n", timeout, completed, total);
            return 1;
        }
        int n = epoll_wait(ep, evs, 512, nidle > 0 ? 1 : 1000);
        if (n < 0) { if (errno == EINTR) continue; perror("mem_load: epoll"); return 1; }
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            ssize_t r = read(c->fd, c->buf + c->len, BUF - c->len);
            if (r <= 0) {
                if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                fprintf(stderr, "mem_load: connection to port %d closed early\n", ports[c->service]);
                return 1;
            }
            c->len += r;
            int got = responses(c);
            if (got < 0) { fprintf(stderr, "mem_load: bad response from port %d\n", ports[c->service]); return 1; }
            if (got == 0) continue;
            completed += got;
            c->left -= got;
            if (c->left > 0) {
                idle[nidle++] = c;
            } else {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                active--;
            }
        }
    }
    double secs = now() - t0;
    printf("requests=%ld seconds=%.1f rps=%.0f\n", completed, secs, completed / secs);
    return completed == total ? 0 : 1;
}
