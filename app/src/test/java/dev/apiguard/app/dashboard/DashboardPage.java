package dev.apiguard.app.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.apiguard.testkit.RealParts;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}),
 * read through the page's test hooks: {@code <tr data-path>} rows with {@code data-field} cells.
 *
 * <pre>{@code
 * try (DashboardPage page = DashboardPage.launch()) {
 *     page.open("http://127.0.0.1:9400");
 *     page.awaitUntil(Duration.ofSeconds(20), "checkout critical",
 *             () -> page.score("/api/v1/checkout").filter(s -> s < 70).isPresent());
 *     page.screenshot(Path.of("target/dashboard.png"));
 * }
 * }</pre>
 *
 * Every read is one script call that snapshots the DOM, since the page rebuilds its table on each poll.
 * Nothing is downloaded: the driver and the browser are given by path, so Selenium Manager stays idle.
 */
public final class DashboardPage implements AutoCloseable {

    /** One endpoint row as shown: the texts of its cells and the colour band of its score. */
    public record Row(String service, String path, String score, String band, String state, String breaker) {}

    private static final Duration POLL = Duration.ofMillis(100);
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 900;
    /** Held so the level sticks (java.util.logging keeps loggers only weakly). */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    private final ChromeDriver driver;
    private final Path userDataDir;

    private DashboardPage(ChromeDriver driver, Path userDataDir) {
        this.driver = driver;
        this.userDataDir = userDataDir;
    }

    /** Starts headless Chromium; skips the test (fails it under CI=true) when it is not installed. */
    public static DashboardPage launch() {
        Path chromium = RealParts.requireBinary("chromium");
        Path chromedriver = RealParts.requireBinary("chromedriver");
        // Why: Selenium must not phone home or fetch drivers; both settings are read as properties.
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("se.avoid-stats", "true");
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        SELENIUM_LOG.setLevel(Level.WARNING);
        Path userDataDir;
        try {
            userDataDir = Files.createTempDirectory("apiguard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(20))
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + userDataDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
            // Why: --window-size counts the (invisible) browser frame; pin the page's viewport itself.
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
            return new DashboardPage(driver, userDataDir);
        } catch (WebDriverException e) {
            deleteTree(userDataDir);
            throw new IllegalStateException("cannot start headless chromium: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Loads the dashboard at {@code baseUrl} (e.g. {@code http://127.0.0.1:9400}); earlier console entries are dropped. */
    public DashboardPage open(String baseUrl) {
        driver.get("about:blank"); // stops the previous page's polling before its log is drained
        browserErrors();
        driver.get(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        return this;
    }

    /** The row of {@code path} (the worst one, if several services share it), once shown. */
    public Optional<Row> row(String path) {
        return rows().stream().filter(r -> r.path().equals(path)).findFirst();
    }

    /** All endpoint rows, in table order (worst first). */
    public List<Row> rows() {
        Object result = script("""
                return [...document.querySelectorAll('#endpoints tbody tr[data-path]')].map(tr => {
                  const f = n => tr.querySelector('[data-field="' + n + '"]');
                  const band = [...f('score').classList].find(c => c.startsWith('band-'));
                  return [tr.dataset.service, tr.dataset.path, f('score').textContent,
                          band ? band.substring(5) : '', f('state').textContent, f('breaker').textContent];
                });""");
        return ((List<?>) result).stream()
                .map(r -> (List<?>) r)
                .map(r -> new Row(str(r.get(0)), str(r.get(1)), str(r.get(2)), str(r.get(3)), str(r.get(4)), str(r.get(5))))
                .toList();
    }

    /** The score of {@code path}; empty while it is {@code unknown} or the row is not shown. */
    public Optional<Double> score(String path) {
        return row(path).map(Row::score).filter(s -> !s.equals("unknown")).map(Double::valueOf);
    }

    /** healthy, degraded, critical or unknown; empty while the row is not shown. */
    public Optional<String> state(String path) {
        return row(path).map(Row::state);
    }

    /** The breaker as shown: OPEN, CLOSED, HALF_OPEN, FORCED_OPEN, DISABLED, or "–" without a gateway. */
    public Optional<String> breaker(String path) {
        return row(path).map(Row::breaker);
    }

    /** How many recent business-error events the page lists. */
    public int eventsShown() {
        return ((Number) script("return document.querySelectorAll('#events tbody tr[data-event]').length;")).intValue();
    }

    /** The status line: "live · updated …" or "connection lost, retrying …". */
    public String status() {
        return str(script("return document.getElementById('status').textContent;"));
    }

    /** True while the page says the JSON endpoint is unreachable. */
    public boolean connectionLost() {
        return "lost".equals(script("return document.getElementById('status').dataset.state;"));
    }

    /** The text of an agent-health value, e.g. {@code drops_total} or {@code capturing}. */
    public String agentValue(String field) {
        return str(script("const n = document.querySelector('#agent [data-field=\"' + arguments[0] + '\"]');"
                + " return n ? n.textContent : '';", field));
    }

    /** The tone of an agent-health card: "", "ok", "warn" or "alert" (drops > 0). */
    public String agentTone(String field) {
        return str(script("const n = document.querySelector('#agent [data-field=\"' + arguments[0] + '\"]');"
                + " if (!n) return ''; const c = n.closest('.stat').classList;"
                + " return ['alert', 'warn', 'ok'].find(t => c.contains(t)) ?? '';", field));
    }

    /**
     * A chart's state: canvases drawn, points on its time axis, and series (endpoints) plotted.
     * {@code id} is {@code score}, {@code business} or {@code server}.
     */
    public Map<String, Long> chart(String id) {
        Object result = script("""
                const box = document.querySelector('[data-chart="' + arguments[0] + '"]');
                if (!box) return {canvases: 0, points: 0, series: 0};
                return {canvases: box.querySelectorAll('.uplot canvas').length,
                        points: Number(box.dataset.points), series: Number(box.dataset.series)};""", id);
        return ((Map<?, ?>) result).entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> String.valueOf(e.getKey()), e -> ((Number) e.getValue()).longValue()));
    }

    /**
     * Runs an async script body in the page (it may {@code await} and {@code import()} the page's
     * modules) and returns what it returns; a thrown error fails with its message.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> runModuleScript(String body) {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "(async () => { " + body + " })().then(done, e => done({__error: String(e)}));");
        Map<String, Object> map = (Map<String, Object>) result;
        if (map.containsKey("__error")) {
            throw new AssertionError("script failed in the page: " + map.get("__error"));
        }
        return map;
    }

    /** Severe browser console entries since the last call (script errors, failed loads). */
    public List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Polls {@code condition} every 100 ms; fails with {@code what} and the status line after {@code timeout}. */
    public void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // the page may be mid-load; try again until the deadline
            }
            sleep(POLL);
        }
        String shown = safe(this::status);
        AssertionError failure = new AssertionError("dashboard: not " + what + " after " + timeout
                + " (status line: '" + shown + "', rows: " + safe(() -> rows().toString()) + ")");
        if (last != null) {
            failure.addSuppressed(last);
        }
        throw failure;
    }

    /** Saves a PNG of the 1400×900 viewport. */
    public Path screenshot(Path file) {
        try {
            Path tmp = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.copy(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(tmp);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save screenshot to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(userDataDir);
        }
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String safe(java.util.function.Supplier<String> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return "unreadable: " + e.getClass().getSimpleName();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the dashboard", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp profile is harmless; never fail a test on cleanup.
        }
    }
}
