package org.proxynas.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One (mode, phase) measurement. timesMs are device times (CUDA events) when gpuTimed, else host wall times;
 * wallMs are always host wall times; cpuMs the CPU time of the JVM's threads during each step, less inflated
 * than wall time by other jobs on a shared machine. peakDeviceBytes is the backend's allocator high-water mark where it keeps
 * one (null otherwise); heapRetainedBytes is the Java heap the run held after its steps (after a GC), measured
 * on the CPU backend only, where tensors live in the heap (null otherwise).
 */
public record RunResult(BenchMode mode, BenchPhase phase, String status, int batch, List<Double> timesMs, List<Double> wallMs,
                        List<Double> cpuMs,
                        boolean gpuTimed, Long peakDeviceBytes, Long heapRetainedBytes, Double firstIterSeconds,
                        double warmupSeconds, double runSeconds, boolean truncatedByBudgetShare, String error) {
    public static final String VARIANT = "proxynas";

    public RunResult {
        if (timesMs.size() != wallMs.size() || timesMs.size() != cpuMs.size()) {
            throw new IllegalArgumentException(timesMs.size() + " times but " + wallMs.size() + " wall and " + cpuMs.size() + " CPU times");
        }
        timesMs = List.copyOf(timesMs);
        wallMs = List.copyOf(wallMs);
        cpuMs = List.copyOf(cpuMs);
    }

    public boolean hasTimes() { return !timesMs.isEmpty(); }

    public double medianMs() { return Percentiles.of(timesMs, 0.5); }

    public double imagesPerSecond() { return batch / (medianMs() / 1e3); }

    /** The peer's JSON record, plus the heap and budget fields. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", VARIANT);
        m.put("mode", mode.key());
        m.put("phase", phase.key());
        m.put("status", status);
        m.put("batch", batch);
        m.put("iters_done", timesMs.size());
        m.put("times_ms", timesMs.stream().map(RunResult::round4).toList());
        m.put("wall_ms", wallMs.stream().map(RunResult::round4).toList());
        m.put("cpu_ms", cpuMs.stream().map(RunResult::round4).toList());
        if (hasTimes()) {
            m.put("median_ms", round3(medianMs()));
            m.put("p10_ms", round3(Percentiles.of(timesMs, 0.1)));
            m.put("p90_ms", round3(Percentiles.of(timesMs, 0.9)));
            m.put("mean_ms", round3(timesMs.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
            m.put("wall_median_ms", round3(Percentiles.of(wallMs, 0.5)));
            m.put("cpu_median_ms", round3(Percentiles.of(cpuMs, 0.5)));
            m.put("images_per_s", Math.round(imagesPerSecond() * 10) / 10.0);
        }
        m.put("gpu_timed", gpuTimed);
        m.put("peak_device_bytes", peakDeviceBytes);
        m.put("heap_retained_bytes", heapRetainedBytes);
        m.put("first_iter_s", firstIterSeconds == null ? null : round3(firstIterSeconds));
        m.put("warmup_total_s", round3(warmupSeconds));
        m.put("run_s", round3(runSeconds));
        if (truncatedByBudgetShare) m.put("truncated_by_budget_share", true);
        if (error != null) m.put("error", error);
        return m;
    }

    private static double round3(double v) { return Math.round(v * 1e3) / 1e3; }

    private static double round4(double v) { return Math.round(v * 1e4) / 1e4; }
}
