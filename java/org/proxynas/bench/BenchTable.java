package org.proxynas.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The session's results as a fixed-width table, the peer's columns plus heap memory. */
public final class BenchTable {
    private BenchTable() {}

    public static void print(BenchSuite.Outcome o, PrintStream out) {
        String hdr = String.format(Locale.ROOT, "%-9s %-8s %-12s %5s %10s %10s %10s %9s %3s %9s %9s %7s  %s",
                "variant", "mode", "phase", "batch", "med ms", "p10", "p90", "img/s", "n", "devMB", "heapMB", "1st s", "status");
        out.println();
        out.println(hdr);
        out.println("-".repeat(hdr.length()));
        for (RunResult r : o.runs()) {
            boolean t = r.hasTimes();
            out.printf(Locale.ROOT, "%-9s %-8s %-12s %5d %10s %10s %10s %9s %3d %9s %9s %7s  %s%n", RunResult.VARIANT, r.mode().key(),
                    r.phase().key(), r.batch(), t ? fmt(r.medianMs(), 2) : "-", t ? fmt(Percentiles.of(r.timesMs(), 0.1), 2) : "-",
                    t ? fmt(Percentiles.of(r.timesMs(), 0.9), 2) : "-", t ? fmt(r.imagesPerSecond(), 1) : "-", r.timesMs().size(),
                    mib(r.peakDeviceBytes()), mib(r.heapRetainedBytes()), r.firstIterSeconds() == null ? "-" : fmt(r.firstIterSeconds(), 2),
                    r.status() + (r.error() == null ? "" : "  " + r.error()));
        }
        if (!o.skipped().isEmpty() || Boolean.TRUE.equals(o.budget().get("exhausted"))) {
            out.printf(Locale.ROOT, "%nBUDGET of %.0f s SPENT: interrupted %s; skipped %s%n", (double) o.budget().get("seconds"),
                    o.budget().get("interrupted"), o.skipped().isEmpty() ? "none" : o.skipped());
        }
        boolean device = o.runs().stream().anyMatch(RunResult::gpuTimed);
        out.println(device ? "times: device (CUDA events); wall times in the JSON" : "times: host wall clock (no device clock on this backend)");
    }

    private static String fmt(double v, int decimals) { return String.format(Locale.ROOT, "%." + decimals + "f", v); }

    private static String mib(Long bytes) { return bytes == null ? "-" : fmt(bytes / (double) (1 << 20), 0); }
}
