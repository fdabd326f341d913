package org.proxynas.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar with ETA and throughput: redrawn in place on a terminal, one line per tenth of the
 * work otherwise (CI logs). Updates are throttled so printing never costs measurable time.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private String suffix = "";

    public ProgressBar(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.interactive = System.console() != null && System.getenv("CI") == null;
    }

    /** Progress on stderr, so stdout stays clean for results. */
    public static ProgressBar stderr(String label, long total, String unit) {
        return new ProgressBar(System.err, label, total, unit);
    }

    /** Extra text after the bar, e.g. the running loss. */
    public void suffix(String text) { this.suffix = text; }

    public void update(long done) {
        long now = System.nanoTime();
        int decile = (int) Math.min(10, done * 10 / total);
        if (interactive) {
            if (done < total && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            out.print("\r" + line(done, now) + "   ");
            if (done >= total) out.println();
        } else if (decile != lastDecile) {
            lastDecile = decile;
            out.println(line(done, now));
        }
        out.flush();
    }

    public void finish() { update(total); }

    String line(long done, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int width = 24, filled = (int) (width * Math.min(done, total) / total);
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        return String.format(Locale.ROOT, "%s [%s] %3d%% %d/%d %s ETA %s %.1f %s/s%s", label, bar,
                done * 100 / total, done, total, "", formatSeconds(eta), rate, unit, suffix.isEmpty() ? "" : " " + suffix)
                .replace("  ETA", " ETA");
    }

    public static String formatSeconds(double s) {
        if (Double.isNaN(s) || Double.isInfinite(s)) return "--";
        long t = Math.round(s);
        if (t >= 3600) return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        if (t >= 60) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        return t + "s";
    }
}
