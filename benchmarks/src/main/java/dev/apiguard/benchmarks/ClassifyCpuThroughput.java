package dev.apiguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import dev.apiguard.semantics.Verdict;

/**
 * Verdicts per CPU-second of the measuring thread, for a machine too busy for wall-clock JMH
 * numbers to mean "per core": the thread's CPU time excludes the time other processes hold the
 * cores. Run: {@code java -cp benchmarks/target/benchmarks.jar dev.apiguard.benchmarks.ClassifyCpuThroughput
 * [rounds] [case ...]} (no case names: all cases).
 */
public final class ClassifyCpuThroughput {
    private ClassifyCpuThroughput() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ClassifyBenchmark b = new ClassifyBenchmark();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        record Case(String name, java.util.function.Supplier<Verdict> run) {}
        Case[] cases = {
            new Case("plain300", b::plain300),
            new Case("silentError300", b::silentError300),
            new Case("gzipTruncated1k", b::gzipTruncated1k),
            new Case("plain300WithUserRules", b::plain300WithUserRules),
            new Case("wrappedDecline", b::wrappedDecline),
            new Case("graphqlUserErrors", b::graphqlUserErrors),
            new Case("bulkItems", b::bulkItems),
            new Case("xmlRpcFault", b::xmlRpcFault),
            new Case("formFailure", b::formFailure),
            new Case("multipartBatch", b::multipartBatch),
        };
        java.util.Set<String> only = java.util.Set.of(java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
        long sink = 0;
        for (Case c : cases) {
            if (!only.isEmpty() && !only.contains(c.name())) {
                continue;
            }
            for (int i = 0; i < 2_000_000; i++) { // warm-up: let the JIT compile the path
                sink += c.run().get().hashCode();
            }
            double[] rates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                int n = 1_000_000;
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += c.run().get().hashCode();
                }
                rates[r] = n / ((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
            }
            java.util.Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-24s median %,.0f verdicts/CPU-s (min %,.0f, max %,.0f)%n",
                    c.name(), rates[rounds / 2], rates[0], rates[rounds - 1]);
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }
}
