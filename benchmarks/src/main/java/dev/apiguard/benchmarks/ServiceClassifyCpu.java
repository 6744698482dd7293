package dev.apiguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;

/**
 * CPU per verdict on the Java bench service's three responses ({@code bench/service}: an item, a list of 20, an
 * order; 861, 1,079 and 450 B of JSON), as the agent classifies them: the 1 KiB prefix it captures (the list is
 * cut), through the built-in rules alone and through the learned baseline over them
 * ({@code LearnedClassifier(EnvelopeClassifier)}, learning on), in rotation. Thread CPU time, so other processes'
 * load does not count. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.apiguard.benchmarks.ServiceClassifyCpu [rounds]}
 */
public final class ServiceClassifyCpu {
    private ServiceClassifyCpu() {}

    /** The agent's capture: a 1 KiB prefix of the body. */
    private static final int CAPTURE = 1024;

    static final String ITEM = "{\"id\":42,\"sku\":\"SKU-000042\",\"name\":\"ergonomic ergonomic kettle\",\"description\":\"A ergonomic ergonomic"
            + " kettle built for everyday use: tested for durability, easy to clean, and covered by a two-year warr"
            + "anty. Ships from our lhr-1 warehouse within one business day. Item number 42 of the autumn catalogue"
            + ". Assembly takes about 7 minutes with the included tools; spare parts stay available for at least ei"
            + "ght years after the last production run, and the packaging is fully recyclable cardboard without pla"
            + "stic film.\",\"price\":20.53,\"currency\":\"EUR\",\"stock\":46,\"warehouse\":\"lhr-1\",\"tags\":[\"kettle\",\"ergonomi"
            + "c\",\"autumn\",\"sale\"],\"dimensions\":{\"widthMm\":142,\"heightMm\":92,\"depthMm\":62,\"weightG\":712},\"attribute"
            + "s\":{\"energyClass\":\"A\",\"origin\":\"EU\",\"color\":\"graphite\",\"material\":\"smart\",\"warrantyYears\":\"2\"},\"rela"
            + "tedIds\":[295,547,303,563],\"updatedAt\":\"2026-11-15T18:42:00Z\"}";
    static final String LIST = "{\"items\":[{\"id\":1,\"name\":\"oak steel chair\",\"price\":5.36},{\"id\":2,\"name\":\"compact steel kettle\",\"pric"
            + "e\":5.73},{\"id\":3,\"name\":\"wireless steel backpack\",\"price\":6.10},{\"id\":4,\"name\":\"modular steel speake"
            + "r\",\"price\":6.47},{\"id\":5,\"name\":\"travel steel desk\",\"price\":6.84},{\"id\":6,\"name\":\"ergonomic steel bo"
            + "ttle\",\"price\":7.21},{\"id\":7,\"name\":\"outdoor oak jacket\",\"price\":7.58},{\"id\":8,\"name\":\"classic oak dr"
            + "ill\",\"price\":7.95},{\"id\":9,\"name\":\"smart oak tent\",\"price\":8.32},{\"id\":10,\"name\":\"heavy-duty oak lam"
            + "p\",\"price\":8.69},{\"id\":11,\"name\":\"foldable oak chair\",\"price\":9.06},{\"id\":12,\"name\":\"steel oak kettl"
            + "e\",\"price\":9.43},{\"id\":13,\"name\":\"oak oak backpack\",\"price\":9.80},{\"id\":14,\"name\":\"compact compact s"
            + "peaker\",\"price\":10.17},{\"id\":15,\"name\":\"wireless compact desk\",\"price\":10.54},{\"id\":16,\"name\":\"modul"
            + "ar compact bottle\",\"price\":10.91},{\"id\":17,\"name\":\"travel compact jacket\",\"price\":11.28},{\"id\":18,\"n"
            + "ame\":\"ergonomic compact drill\",\"price\":11.65},{\"id\":19,\"name\":\"outdoor compact tent\",\"price\":12.02},"
            + "{\"id\":20,\"name\":\"classic compact lamp\",\"price\":12.39}],\"limit\":20,\"total\":1000}";
    static final String ORDER = "{\"orderId\":\"ord-0000000001\",\"status\":\"accepted\",\"customer\":\"c-1\",\"line\":{\"itemId\":7,\"sku\":\"SKU-00000"
            + "7\",\"name\":\"outdoor oak jacket\",\"quantity\":2,\"unitPrice\":7.58,\"total\":15.16},\"subtotal\":15.16,\"tax\":3"
            + ".18,\"total\":18.34,\"currency\":\"EUR\",\"warehouse\":\"mad-3\",\"estimatedDelivery\":\"2026-12-01\",\"notes\":[\"Pa"
            + "cked in recyclable material.\",\"Signature required on delivery.\",\"Returns accepted within 30 days of "
            + "delivery, unused and in the original packaging.\"]}";

    static ResponseSample sample(String route, int status, String method, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        boolean cut = b.length > CAPTURE;
        return new ResponseSample(route, status, "application/json", null, cut ? Arrays.copyOf(b, CAPTURE) : b, cut,
                method);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ResponseSample[] samples = {
            sample("/api/items/{id}", 200, "GET", ITEM),
            sample("/api/items", 200, "GET", LIST),
            sample("/api/orders", 201, "POST", ORDER),
        };
        Classifier rules = Classifiers.builtIn();
        Classifier learned = new LearnedClassifier(Classifiers.builtIn(), new BaselineLearner(LearningSettings.DEFAULTS),
                LearningHooks.of(SemanticsConfig.empty()));
        for (ResponseSample s : samples) {
            System.out.println(s.route() + ": " + rules.classify(s) + " / " + learned.classify(s));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (String name : new String[] {"rules", "learned"}) {
            Classifier c = name.equals("rules") ? rules : learned;
            for (int i = 0; i < 600_000; i++) { // warm-up: let the JIT compile the path (and the learner settle)
                sink += c.classify(samples[i % 3]).hashCode();
            }
            double[] micros = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                int n = 300_000;
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += c.classify(samples[i % 3]).hashCode();
                }
                micros[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "%-8s median %.3f us/verdict (min %.3f, max %.3f), %,.0f verdicts/CPU-s%n",
                    name, micros[rounds / 2], micros[0], micros[rounds - 1], 1e6 / micros[rounds / 2]);
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }
}
