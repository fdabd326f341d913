package org.proxynas.bench;

import org.proxynas.tensor.Backend;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One measurement with the peer's protocol: a fresh backend and supernet, warm-up steps, then timed steps until
 * {@code iters} are done or the run has used its share of the remaining budget (after {@code minIters}). A
 * failure (out of memory, a kernel error) is recorded in the result and does not stop the session.
 */
final class BenchRun {
    private final BenchConfig cfg;
    private final Budget budget;

    /** cfg must be resolved ({@link BenchConfig#resolve}). */
    BenchRun(BenchConfig cfg, Budget budget) {
        this.cfg = cfg;
        this.budget = budget;
    }

    RunResult measure(Supplier<Backend> backends, BenchMode mode, BenchPhase phase, int runsLeft) {
        double start = budget.elapsed();
        List<Double> times = new ArrayList<>(), walls = new ArrayList<>(), cpus = new ArrayList<>();
        Double firstIter = null;
        double warmupSeconds = 0;
        boolean gpuTimed = false;
        long heapBefore = 0;
        int batch = cfg.batchFor(phase);
        try (Backend backend = backends.get()) {
            boolean heapCounts = backend.name().equals("cpu");
            if (heapCounts) heapBefore = heapAfterGc();
            StepWorkload work = new StepWorkload(backend, cfg, mode, phase);
            try (StepTimer timer = new StepTimer(backend)) {
                gpuTimed = timer.onDevice();
                double last = 0;
                for (int i = 0; i < Math.max(1, cfg.warmup()); i++) {
                    if (!budget.allows(last)) {
                        return result(mode, phase, "budget_exhausted", batch, times, walls, cpus, gpuTimed, null, null, firstIter,
                                budget.elapsed() - start, start, false, null);
                    }
                    last = timer.time(work::step).wallMs() * 1e-3;
                    if (i == 0) firstIter = last;
                }
                warmupSeconds = budget.elapsed() - start;
                double share = budget.remaining() / Math.max(1, runsLeft);
                double loopStart = budget.elapsed();
                boolean truncated = false;
                String status = "ok";
                for (int i = 0; i < cfg.iters(); i++) {
                    if (!budget.allows(last)) {
                        status = "budget_exhausted" + (times.isEmpty() ? "" : " (partial)");
                        break;
                    }
                    StepTimer.Sample s = timer.time(work::step);
                    times.add(s.deviceMs());
                    walls.add(s.wallMs());
                    cpus.add(s.cpuMs());
                    last = s.wallMs() * 1e-3;
                    if (budget.elapsed() - loopStart > share && i + 1 >= Math.min(cfg.minIters(), cfg.iters()) && i + 1 < cfg.iters()) {
                        truncated = true;
                        break;
                    }
                }
                Long peak = backend.peakDeviceBytes().isPresent() ? backend.peakDeviceBytes().getAsLong() : null;
                Long heap = heapCounts ? Math.max(0, heapAfterGc() - heapBefore) : null;
                Reference.reachabilityFence(work);
                return result(mode, phase, status, batch, times, walls, cpus, gpuTimed, peak, heap, firstIter, warmupSeconds, start, truncated, null);
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            String why = (e instanceof OutOfMemoryError ? "out of memory: " : e.getClass().getSimpleName() + ": ") + e.getMessage();
            return result(mode, phase, "failed", batch, times, walls, cpus, gpuTimed, null, null, firstIter, warmupSeconds, start, false, why);
        }
    }

    private RunResult result(BenchMode mode, BenchPhase phase, String status, int batch, List<Double> times, List<Double> walls,
                             List<Double> cpus, boolean gpuTimed, Long peak, Long heap, Double firstIter, double warmupSeconds, double start,
                             boolean truncated, String error) {
        return new RunResult(mode, phase, status, batch, times, walls, cpus, gpuTimed, peak, heap, firstIter, warmupSeconds,
                budget.elapsed() - start, truncated, error);
    }

    /** Heap in use after a full collection: what the live objects hold. */
    private static long heapAfterGc() {
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
