package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Side;

/**
 * One expected exchange, located by stream offsets: the request starts at byte {@code requestStart}
 * of the client's stream, the response occupies {@code [responseStart, responseStart + responseBytes)}
 * of the server's. Timestamps follow from where a replay put those bytes.
 */
record Expect(
        String method,
        String path,
        int status,
        long requestStart,
        long requestBytes,
        long responseStart,
        long responseBytes,
        String contentType,
        String contentEncoding,
        String prefix,
        boolean truncated) {

    Observed in(Conversation.Replay replay, Role view) {
        boolean server = view == Role.SERVER;
        return new Observed(server ? "nginx" : "port-" + Conversation.SERVER_PORT, server ? Side.SERVER : Side.CLIENT,
                method, path, status, replay.tsOfClientByte(requestStart),
                replay.tsOfServerByte(responseStart + responseBytes - 1), requestBytes, responseBytes, contentType,
                contentEncoding, prefix, truncated);
    }

    /** Feeds events to a fresh tracker with default config and returns what it emitted. */
    static Run run(List<SocketEvent> events) {
        return run(HttpTrackerConfig.defaults(), events);
    }

    static Run run(HttpTrackerConfig config, List<SocketEvent> events) {
        List<Observed> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(config, e -> out.add(Observed.of(e)));
        events.forEach(tracker);
        return new Run(out, tracker.stats(), tracker);
    }

    record Run(List<Observed> exchanges, HttpTrackerStats stats, HttpConnectionTracker tracker) {}

    /**
     * Replays the conversation from both ends, unsplit, cut at every single offset of every write,
     * cut into pieces of 1..8 bytes, and cut at random points, asserting the exact exchanges and a
     * clean run (no errors, nothing unmatched or lost) every time. Returns the number of replays.
     */
    static int assertEverySplit(Conversation conversation, List<Expect> expected, int upgrades) {
        int replays = 0;
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            List<IntFunction<int[]>> cuttings = new ArrayList<>();
            cuttings.add(i -> new int[0]);
            List<Conversation.Write> writes = conversation.writes();
            for (int w = 0; w < writes.size(); w++) {
                int target = w;
                for (int k = 1; k < writes.get(w).bytes().length; k++) {
                    int at = k;
                    cuttings.add(i -> i == target ? new int[] {at} : new int[0]);
                }
            }
            for (int size = 1; size <= 8; size++) {
                int piece = size;
                cuttings.add(i -> every(writes.get(i).bytes().length, piece));
            }
            Random random = new Random(42);
            for (int r = 0; r < 20; r++) {
                long seed = random.nextLong();
                cuttings.add(i -> randomCuts(writes.get(i).bytes().length, new Random(seed + i)));
            }
            for (IntFunction<int[]> cutting : cuttings) {
                Conversation.Replay replay = conversation.replay(view, cutting);
                Run run = run(replay.events);
                List<Observed> want = expected.stream().map(e -> e.in(replay, view)).toList();
                assertThat(run.exchanges()).as("view %s, replay %d", view, replays).isEqualTo(want);
                HttpTrackerStats s = run.stats();
                assertThat(new long[] {s.parseErrors(), s.nonHttpStreams(), s.unmatchedResponses(), s.lostSyncExchanges(),
                                s.unansweredRequests(), s.upgrades(), s.exchangesEmitted()})
                        .as("errors, non-HTTP, unmatched, lost, unanswered, upgrades, emitted (view %s, replay %d)", view, replays)
                        .containsExactly(0, 0, 0, 0, 0, upgrades, expected.size());
                replays++;
            }
        }
        return replays;
    }

    static int[] every(int length, int piece) {
        int n = Math.max(0, (length - 1) / piece);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) {
            cuts[i] = (i + 1) * piece;
        }
        return cuts;
    }

    static int[] randomCuts(int length, Random random) {
        return random.ints(random.nextInt(6), 1, Math.max(2, length)).distinct().sorted().filter(c -> c < length).toArray();
    }
}
