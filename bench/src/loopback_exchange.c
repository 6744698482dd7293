// One process, one loopback TCP connection, both ends: per iteration the client writes a request,
// the server reads it and writev()s a response, the client reads it: four socket syscalls, two
// HTTP exchanges for an agent that follows the process (its client and its server side).
// usage: loopback_exchange [ITERATIONS=20000]; prints ns per iteration, best of 9 rounds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
int main(int argc, char **argv) {
    int iters = argc > 1 ? atoi(argv[1]) : 20000;
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    bind(l, (void *)&a, sizeof(a)); listen(l, 1); getsockname(l, (void *)&a, &al);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (void *)&a, sizeof(a));
    int s = accept(l, NULL, NULL);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const char *req = "GET /item.json HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: loop\r\n\r\n";
    char head[] = "HTTP/1.1 200 OK\r\nServer: loop\r\nContent-Type: application/json\r\nContent-Length: 40\r\nConnection: keep-alive\r\n\r\n";
    char body[] = "{\"ok\":true,\"items\":[1,2,3,4,5,6,7,8,9]}\n";
    char buf[4096];
    size_t resp = strlen(head) + strlen(body);
    double best = 1e18;
    for (int r = 0; r < 9; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) {
            if (write(c, req, strlen(req)) < 0) return 1;
            size_t got = 0;
            while (got < strlen(req)) { ssize_t n = recv(s, buf, sizeof(buf), 0); if (n <= 0) return 1; got += n; }
            struct iovec v[2] = {{head, strlen(head)}, {body, strlen(body)}};
            if (writev(s, v, 2) < 0) return 1;
            got = 0;
            while (got < resp) { ssize_t n = read(c, buf, sizeof(buf)); if (n <= 0) return 1; got += n; }
        }
        double dt = (now() - t0) / iters;
        if (dt < best) best = dt;
    }
    printf("%.0f\n", best);
    return 0;
}
