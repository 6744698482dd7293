package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * A start-up that fails after every program was attached leaves nothing attached or loaded, as
 * the kernel itself lists it (bpftool). Other processes on the machine may load the same programs
 * at the same time, so ours are told apart by id: the ids whose file descriptors this JVM held
 * just before the failure.
 */
class StartupFailureTest {
    /** The programs of apiguard.bpf.c, as the kernel names them. */
    private static final Set<String> OUR_PROGRAMS = Set.of("on_sock_recv", "on_sock_send", "on_tcp_state", "on_tcp_destroy");
    private static final Pattern PROGRAM = Pattern.compile("^(\\d+): \\S+\\s+name (\\S+)");
    private static final Pattern LINK = Pattern.compile("^(\\d+): \\S+\\s+prog (\\d+)");

    @Test
    void aLateAttachFailureDetachesAndUnloadsEverything() throws Exception {
        RealParts.requireRoot();
        Path bpftool = RealParts.requireBinary("bpftool");
        AtomicReference<Listing> whenFailing = new AtomicReference<>();
        AtomicReference<Held> heldWhenFailing = new AtomicReference<>();
        KernelCapture.LateAttachFailure fault = new KernelCapture.LateAttachFailure("apiguard", "no_such_tracepoint", () -> {
            whenFailing.set(listing(bpftool));
            heldWhenFailing.set(heldByThisProcess());
        });

        assertThatThrownBy(() -> KernelCapture.start(CaptureConfig.defaults(), e -> {}, fault))
                .isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("attaching on_tcp_destroy to tracepoint apiguard/no_such_tracepoint failed: ");

        // Just before the failing attach, the kernel listed our four programs, each attached once...
        Set<Integer> ourPrograms = intersection(whenFailing.get().programs(), heldWhenFailing.get().programs());
        Set<Integer> ourLinks = intersection(whenFailing.get().links(), heldWhenFailing.get().links());
        assertThat(ourPrograms).as(whenFailing.get().text()).hasSize(4);
        assertThat(ourLinks).as(whenFailing.get().text()).hasSize(4);
        // ...and after the failure this process holds none of them any more...
        assertThat(heldByThisProcess().programs()).doesNotContainAnyElementsOf(ourPrograms);
        assertThat(heldByThisProcess().links()).doesNotContainAnyElementsOf(ourLinks);
        // ...and the kernel lists none: every link destroyed, every program unloaded. The kernel
        // frees a tracepoint link after an RCU grace period, and the link's program with it, so a
        // freed program may stay listed for a moment: wait for that, boundedly.
        Listing after = listing(bpftool);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!intersection(after.programs(), ourPrograms).isEmpty() || !intersection(after.links(), ourLinks).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = listing(bpftool);
        }
        assertThat(intersection(after.links(), ourLinks)).as(after.text()).isEmpty();
        assertThat(intersection(after.programs(), ourPrograms)).as(after.text()).isEmpty();
    }

    /** What bpftool lists: ids of programs with our names, and of links to any of them. */
    record Listing(Set<Integer> programs, Set<Integer> links, String text) {}

    private static Listing listing(Path bpftool) {
        String progs = run(bpftool, "prog");
        String links = run(bpftool, "link");
        Set<Integer> programs = new TreeSet<>();
        for (String block : blocks(progs)) {
            Matcher m = PROGRAM.matcher(block);
            if (m.find() && OUR_PROGRAMS.contains(m.group(2))) {
                programs.add(Integer.parseInt(m.group(1)));
            }
        }
        Set<Integer> linked = new TreeSet<>();
        for (String block : blocks(links)) {
            Matcher m = LINK.matcher(block);
            if (m.find() && programs.contains(Integer.parseInt(m.group(2)))) {
                linked.add(Integer.parseInt(m.group(1)));
            }
        }
        return new Listing(programs, linked, progs + "\n" + links);
    }

    /** Program and link ids this process holds a file descriptor of (/proc/self/fdinfo). */
    record Held(Set<Integer> programs, Set<Integer> links) {}

    private static Held heldByThisProcess() {
        Set<Integer> programs = new TreeSet<>();
        Set<Integer> links = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                List<String> info;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                    info = Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()));
                } catch (IOException gone) {
                    continue; // closed meanwhile (e.g. the listing's own fd)
                }
                if (target.equals("anon_inode:bpf-prog")) {
                    field(info, "prog_id").ifPresent(programs::add);
                } else if (target.equals("anon_inode:bpf_link")) {
                    field(info, "link_id").ifPresent(links::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Held(programs, links);
    }

    private static java.util.Optional<Integer> field(List<String> fdinfo, String name) {
        return fdinfo.stream().filter(l -> l.startsWith(name + ":"))
                .map(l -> Integer.parseInt(l.substring(name.length() + 1).strip())).findFirst();
    }

    private static String run(Path bpftool, String object) {
        try {
            Process p = new ProcessBuilder(bpftool.toString(), object, "show").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One block per object: a first line "ID: type ...", then indented lines. */
    private static List<String> blocks(String listing) {
        return List.of(listing.split("\n(?=\\d+: )"));
    }

    private static Set<Integer> intersection(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }
}
