package org.proxynas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.proxynas.proxy.AdamConfig;
import org.proxynas.proxy.ArchMemory;
import org.proxynas.proxy.ArchitectureStep;
import org.proxynas.proxy.Oiw;
import org.proxynas.proxy.OiwMode;
import org.proxynas.proxy.Regressor;
import org.proxynas.proxy.RegressorTrainer;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.JsonFiles;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.ProgressBar;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;
import org.proxynas.tensor.LossStats;
import org.proxynas.train.CosineSchedule;
import org.proxynas.train.DivergedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PVLL-NAS (docs/method.md#proxy) in its differentiable form, and the evolutionary form (docs/method.md#evolutionary-form) with
 * its defects fixed (the parent is copied; both regressors work). Phases: supernet warm-up on P random paths,
 * memory build from the same paths, regressor warm-up, then E_s search iterations of
 * sample -> train -> validate -> remember -> refit -> alpha step (-> OIW update).
 */
public final class ProxySearch extends SearchMethod {
    /** DIAGNOSE and HELDOUT measure from the final state and restore it, so a checkpoint inside them holds that state. */
    enum Phase { WARMUP, MEMORY, REGRESSOR_WARMUP, SEARCH, DIAGNOSE, HELDOUT, DONE }

    private final boolean evolve;
    private final Relaxation relaxation;
    private final Regressor regressor;
    private final RegressorTrainer trainer;
    private final ArchitectureStep archStep;
    private Oiw oiw;
    private ArchMemory memory;
    private final List<GumbelNoise> warmupNoise = new ArrayList<>();
    private final Population population;
    private ArchParams alpha;
    private Rng noiseRng, regressorRng;
    private Phase phase = Phase.WARMUP;
    private int index;
    /** Held-out labels and predictions measured so far (the first {@code index} entries while in HELDOUT). */
    private double[] heldoutMeasured = new double[0], heldoutPredicted = new double[0];

    /** root: the seed's stream, split here in a fixed order (after the caller built the regressor from it). */
    public ProxySearch(SearchConfig cfg, RunContext ctx, PathEvaluator evaluator, Rng root, Regressor regressor) {
        super(cfg, ctx, evaluator);
        this.evolve = cfg.method() == SearchConfig.Method.evolve;
        this.relaxation = new Relaxation(cfg.alpha().temperature());
        this.regressor = regressor;
        this.noiseRng = root.split();
        this.regressorRng = root.split();
        this.alpha = ArchParams.init(root.split());
        this.trainer = new RegressorTrainer(regressor, regressorRng,
                new RegressorTrainer.Config(64, cfg.proxy().regressorMaxEpochs(), RegressorTrainer.StopRule.KENDALL, cfg.proxy().tauStop()));
        this.archStep = new ArchitectureStep(new AdamConfig(cfg.alpha().alphaLr(), 0.5, 0.999, 1e-8, cfg.alpha().alphaWeightDecay()));
        this.oiw = new Oiw(OiwMode.MEAN);
        this.memory = new ArchMemory(cfg.proxy().memoryCapacity());
        this.population = new Population(cfg.proxy().memoryCapacity());
    }

    @Override
    protected void runPhases() {
        int p = cfg.schedule().warmupSamples();
        if (phase == Phase.WARMUP && index == 0 && runner instanceof SupernetRunner s) {
            int steps = s.batchesPerSample();
            double adapt = cfg.finalAdaptation(steps);
            if (adapt < SearchConfig.MIN_FINAL_ADAPTATION) {
                ctx.log(String.format(Locale.ROOT, "warning: the last iterations train each path at lr %.4g for %d steps (product %.3f < %.2f):"
                        + " too little for a path to recover from weights fitted to the previous one, so late labels measure untrained"
                        + " paths; raise --lr-min or --steps-per-sample", adapt / steps, steps, adapt, SearchConfig.MIN_FINAL_ADAPTATION));
            }
        }
        if (phase == Phase.WARMUP) {
            if (warmupNoise.isEmpty()) for (int i = 0; i < p; i++) warmupNoise.add(GumbelNoise.draw(noiseRng));
            ProgressBar bar = ProgressBar.stderr("warm-up (" + p + " random paths)", (long) p * runner.trainImagesPerSample(), "img");
            while (index < p) {
                RelaxedArch r = relaxation.relax(alpha, warmupNoise.get(index));
                long base = (long) index * runner.trainImagesPerSample();
                SupernetRunner.TrainStats t = runner.trainPath(r.path(), (float) cfg.supernet().lr(), seen -> bar.update(base + seen));
                ctx.metric(MetricsLog.record("phase", "warmup", "sample", index, "train_loss", t.loss(), "train_acc", t.accuracy(),
                        "elapsed_s", ctx.elapsed()));
                index++;
                checkpointMaybe(index == p);
            }
            bar.finish();
            advance(Phase.MEMORY);
        }
        if (phase == Phase.MEMORY) {
            ProgressBar bar = ProgressBar.stderr("memory build (" + p + " paths, train + validate)", p, "paths");
            while (index < p) {
                RelaxedArch r = relaxation.relax(alpha, warmupNoise.get(index));
                SupernetRunner.TrainStats t = runner.trainPath(r.path(), (float) cfg.supernet().lr(), null);
                LossStats v = runner.validate(r.path());
                memory.add(r.encoding(), v.loss());
                if (evolve) population.add(alpha.copy(), warmupNoise.get(index), v.loss());
                ctx.metric(MetricsLog.record("phase", "memory", "sample", index, "train_loss", t.loss(), "train_acc", t.accuracy(),
                        "val_loss", v.loss(), "val_acc", v.accuracy(), "elapsed_s", ctx.elapsed()));
                bar.suffix(String.format(Locale.ROOT, "val loss %.3f", v.loss()));
                index++;
                bar.update(index);
                checkpointMaybe(index == p);
            }
            warnIfLabelsExceedTwo();
            advance(Phase.REGRESSOR_WARMUP);
        }
        if (phase == Phase.REGRESSOR_WARMUP) {
            int epochs = trainer.epochCap(cfg.proxy().regressorWarmupEpochs());
            ProgressBar bar = ProgressBar.stderr("regressor warm-up (" + regressor.kind() + ")", epochs, "epochs");
            ArchMemory fitOn = fitMemory();
            for (int e = 0; e < epochs; e++) {
                RegressorTrainer.EpochResult r = trainer.epoch(fitOn);
                if (e % 10 == 9 || e + 1 == epochs) {
                    double tau = trainer.kendall(fitOn);
                    ctx.metric(MetricsLog.record("phase", "regressor_warmup", "epoch", e + 1, "loss", r.meanLoss(), "tau", tau));
                    bar.suffix(String.format(Locale.ROOT, "loss %.4f tau %.3f", r.meanLoss(), tau));
                }
                bar.update(e + 1);
            }
            advance(Phase.SEARCH);
            checkpointMaybe(true);
        }
        if (phase == Phase.SEARCH) {
            int iterations = cfg.schedule().iterations();
            CosineSchedule schedule = new CosineSchedule(cfg.supernet().lr(), cfg.supernet().lrMin(), iterations);
            ProgressBar bar = ProgressBar.stderr((evolve ? "evolve" : "search") + " (" + iterations + " iterations)", iterations, "iter");
            bar.update(index);
            while (index < iterations) {
                searchIteration(index, schedule.at(index));
                index++;
                bar.update(index);
                checkpointMaybe(index == cfg.schedule().iterations());
            }
            advance(Phase.DIAGNOSE);
        }
        if (phase == Phase.DIAGNOSE) {
            diagnoseLabels();
            advance(Phase.HELDOUT);
            checkpointMaybe(true);
        }
        double[][] heldout = null;
        if (phase == Phase.HELDOUT) {
            heldout = heldout();
            advance(Phase.DONE);
        }
        writeProxyFit(heldout);
        finish(alpha);
    }

    /**
     * The label diagnostic ({@link LabelDiagnostic}) at the search's budget and initial learning rate, on paths around
     * the final alpha, from a snapshot of the supernet that is restored afterwards (the search's result is unchanged).
     */
    private void diagnoseLabels() {
        if (cfg.diagnostics().diagnosePaths() == 0) return;
        int k = cfg.diagnostics().diagnosePaths(), m = cfg.diagnostics().diagnoseRepeats();
        ProgressBar bar = ProgressBar.stderr("label diagnostic (" + k + " paths x " + m + ")", (long) k * m, "labels");
        WeightSnapshot snapshot = new WeightSnapshot(runner);
        LabelDiagnostic.Result d = LabelDiagnostic.measure(runner, relaxation, alpha, new Rng(cfg.seed() ^ 0xD1A6L), k, m,
                (float) cfg.supernet().lr(), cfg.schedule().stepsPerSample(), cfg.data().valFraction(), bar::update);
        snapshot.restore();
        bar.finish();
        Map<String, Object> rec = MetricsLog.record("phase", "label_diagnostic", "paths", k, "repeats", m, "path_share", d.pathShare(),
                "path_share_drift_removed", d.pathShareDriftRemoved(),
                "path_share_trend_removed", d.pathShareTrendRemoved(), "path_share_low", d.pathShareCi().low(),
                "path_share_high", d.pathShareCi().high(), "steps_per_sample", cfg.schedule().stepsPerSample(),
                "val_fraction", cfg.data().valFraction(), "lr", cfg.supernet().lr(), "labels", d.labels(), "order", d.order(), "elapsed_s", ctx.elapsed());
        ctx.metric(rec);
        ctx.log(d.summary());
        if (d.low()) ctx.log(d.advice());
    }

    /**
     * Held-out check of the proxy: fresh samples around the final alpha (never in the memory), each measured as a
     * memory label is (trained for one sample's budget at the last iteration's learning rate from a snapshot of the
     * supernet, validated, then the snapshot restored), against the regressor's predictions. Returns
     * {measured, predicted} or null. Checkpoints between paths (the supernet is back at the search's final state
     * there), so a resumed run continues with the next path.
     */
    private double[][] heldout() {
        int n = cfg.diagnostics().heldoutSamples();
        if (n == 0) return null;
        ArchParams scale = oiw.updates() > 0 ? oiw.scale() : null;
        Rng rng = new Rng(cfg.seed() ^ 0x4E1D0L);
        if (heldoutMeasured.length != n) {
            heldoutMeasured = new double[n];
            heldoutPredicted = new double[n];
        }
        double[] measured = heldoutMeasured, predicted = heldoutPredicted;
        float lr = cfg.finalLr();
        ProgressBar bar = ProgressBar.stderr("held-out proxy check (" + n + " paths, each trained as a memory sample)", n, "archs");
        bar.update(index);
        WeightSnapshot snapshot = new WeightSnapshot(runner);
        for (int i = 0; i < n; i++) {
            RelaxedArch r = relaxation.relax(alpha, GumbelNoise.draw(rng), scale);
            if (i < index) continue; // measured before the resume; the noise is drawn to keep the stream in step
            runner.trainPath(r.path(), lr, null);
            measured[i] = runner.validate(r.path()).loss();
            snapshot.restore();
            predicted[i] = regressor.predict(new float[][] {r.encoding()})[0];
            index = i + 1;
            bar.update(index);
            if (index < n) checkpointMaybe(false);
        }
        bar.finish();
        double tau = org.proxynas.proxy.KendallTau.tauB(measured, predicted);
        org.proxynas.proxy.KendallTau.Interval ci = org.proxynas.proxy.KendallTau.bootstrap(measured, predicted, 0.9, 2000, cfg.seed());
        ctx.metric(MetricsLog.record("phase", "heldout", "samples", n, "tau", tau, "tau_low", ci.low(), "tau_high", ci.high(),
                "protocol", "trained", "lr", lr, "elapsed_s", ctx.elapsed()));
        ctx.log(String.format(Locale.ROOT, "proxy Kendall tau-b on %d held-out samples (each trained %d steps, then validated): %.3f,"
                + " 90%% bootstrap interval [%.3f, %.3f]", n,
                runner instanceof SupernetRunner s ? s.batchesPerSample() : cfg.schedule().stepsPerSample(), tau, ci.low(), ci.high()));
        return new double[][] {measured, predicted};
    }

    private void searchIteration(int t, float lr) {
        ArchParams scale = oiw.updates() > 0 ? oiw.scale() : null;
        GumbelNoise g = GumbelNoise.draw(noiseRng);
        RelaxedArch r = relaxation.relax(alpha, g, scale);
        SupernetRunner.TrainStats train = runner.trainPath(r.path(), lr, null);
        LossStats val = runner.validate(r.path());
        double predicted = regressor.predict(new float[][] {r.encoding()})[0];
        memory.add(r.encoding(), val.loss());
        GumbelNoise parentNoise = g;
        if (evolve) {
            population.add(alpha.copy(), g, val.loss());
        }
        RegressorTrainer.FitResult fit = trainer.fit(fitMemory(), cfg.proxy().regressorMaxEpochs());
        if (evolve) {
            // Parent = best individual, copied (the reference code stepped the stored parent in place).
            Population.Individual best = population.best();
            alpha = best.alpha().copy();
            parentNoise = best.noise();
        }
        ArchitectureStep.Result step = archStep.step(alpha, parentNoise, scale, relaxation, regressor);
        if (!Double.isFinite(step.prediction())) throw new DivergedException("proxy prediction is " + step.prediction() + " at iteration " + (t + 1));
        if (cfg.alpha().oiw()) oiw.update(step.gradient());
        Map<String, Object> rec = MetricsLog.record("phase", "search", "iter", t, "train_loss", train.loss(), "train_acc", train.accuracy(),
                "val_loss", val.loss(), "val_acc", val.accuracy(), "predicted", predicted, "tau", fit.kendall(),
                "regressor_epochs", fit.epochs(), "regressor_loss", fit.lastLoss(), "lr", lr, "objective", step.objective());
        addArchitecture(rec, alpha, r);
        rec.put("elapsed_s", ctx.elapsed());
        ctx.metric(rec);
    }

    /** The regressor's training set: the FIFO memory (differentiable) or the population (evolutionary). */
    private ArchMemory fitMemory() {
        if (!evolve) return memory;
        ArchMemory m = new ArchMemory(Math.max(2, population.size()));
        for (Population.Individual i : population.individuals()) m.add(relaxation.relax(i.alpha(), i.noise()).encoding(), i.loss());
        return m;
    }

    private void warnIfLabelsExceedTwo() {
        int over = 0;
        for (double l : memory.labels()) if (l >= 2) over++;
        if (over > 0) {
            ctx.log(String.format(Locale.ROOT, "warning: %d of %d validation losses are >= 2, beyond the regressor's 2*sigmoid range;"
                    + " train the supernet longer (--warmup-samples, --steps-per-sample)", over, memory.size()));
        }
    }

    /** proxy.json: the memory's measured losses against the final regressor's predictions (and the held-out set). */
    private void writeProxyFit(double[][] heldout) {
        ArchMemory m = fitMemory();
        if (m.isEmpty()) return;
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("regressor", regressor.kind());
        out.put("measured", m.labels());
        out.put("predicted", regressor.predict(m.encodings()));
        if (heldout != null) {
            out.put("heldout_measured", heldout[0]);
            out.put("heldout_predicted", heldout[1]);
        }
        JsonFiles.write(ctx.dir().resolve("proxy.json"), out);
    }

    private void advance(Phase next) {
        phase = next;
        index = 0;
    }

    // ---- checkpoint ---------------------------------------------------------------------------------------

    @Override
    protected void saveState(Checkpoint c) {
        var h = c.header();
        h.put("phase", phase.name());
        h.put("index", index);
        h.set("noise_rng", c.json().valueToTree(noiseRng.state()));
        h.set("regressor_rng", c.json().valueToTree(regressorRng.state()));
        c.put("alpha", alpha.flat().clone());
        ArchitectureStep.State as = archStep.state();
        c.put("alpha_adam_m", as.m());
        c.put("alpha_adam_v", as.v());
        h.put("alpha_adam_step", as.step());
        Oiw.State os = oiw.state();
        h.set("oiw", c.json().valueToTree(os));
        float[] g = new float[warmupNoise.size() * ArchParams.SIZE];
        for (int i = 0; i < warmupNoise.size(); i++) System.arraycopy(warmupNoise.get(i).toArray(), 0, g, i * ArchParams.SIZE, ArchParams.SIZE);
        c.put("warmup_noise", g);
        saveMemory(c, memory);
        population.save(c);
        h.put("regressor", RegressorBytes.encode(regressor));
        h.set("heldout_measured", c.json().valueToTree(heldoutMeasured));
        h.set("heldout_predicted", c.json().valueToTree(heldoutPredicted));
    }

    @Override
    protected void loadState(Checkpoint c) {
        phase = Phase.valueOf(c.field("phase").asText());
        index = c.field("index").asInt();
        noiseRng = Rng.fromState(longs(c.field("noise_rng")));
        regressorRng.setState(longs(c.field("regressor_rng")));
        alpha = ArchParams.fromFlat(c.get("alpha", ArchParams.SIZE).clone());
        archStep.restore(new ArchitectureStep.State(c.get("alpha_adam_m", ArchParams.SIZE), c.get("alpha_adam_v", ArchParams.SIZE),
                c.field("alpha_adam_step").asInt()));
        try {
            oiw = Oiw.restore(c.json().treeToValue(c.field("oiw"), Oiw.State.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Checkpoint.CheckpointException("checkpoint field 'oiw' is malformed: " + e.getOriginalMessage());
        }
        float[] g = c.get("warmup_noise", -1);
        warmupNoise.clear();
        for (int i = 0; i < g.length / ArchParams.SIZE; i++) {
            warmupNoise.add(GumbelNoise.fromFlat(java.util.Arrays.copyOfRange(g, i * ArchParams.SIZE, (i + 1) * ArchParams.SIZE)));
        }
        memory = loadMemory(c, cfg.proxy().memoryCapacity());
        population.load(c);
        RegressorBytes.decode(regressor, c.field("regressor").asText());
        heldoutMeasured = doubles(c, "heldout_measured");
        heldoutPredicted = doubles(c, "heldout_predicted");
        if (heldoutMeasured.length != heldoutPredicted.length || (phase == Phase.HELDOUT && index > heldoutMeasured.length)) {
            throw new Checkpoint.CheckpointException("checkpoint fields 'heldout_measured' and 'heldout_predicted' do not match the phase's index " + index);
        }
    }

    /** A double array of the header; absent in checkpoints written before the held-out phase was resumable. */
    private static double[] doubles(Checkpoint c, String field) {
        JsonNode n = c.header().get(field);
        return n == null ? new double[0] : c.json().convertValue(n, double[].class);
    }

    static void saveMemory(Checkpoint c, ArchMemory m) {
        float[] enc = new float[m.size() * ArchParams.SIZE];
        ArrayNode labels = c.json().createArrayNode();
        for (int i = 0; i < m.size(); i++) {
            System.arraycopy(m.get(i).encoding(), 0, enc, i * ArchParams.SIZE, ArchParams.SIZE);
            labels.add(m.get(i).loss());
        }
        c.put("memory_encodings", enc);
        c.header().set("memory_labels", labels);
    }

    static ArchMemory loadMemory(Checkpoint c, int capacity) {
        ArchMemory m = new ArchMemory(capacity);
        float[] enc = c.get("memory_encodings", -1);
        JsonNode labels = c.field("memory_labels");
        if (enc.length != labels.size() * ArchParams.SIZE) throw new Checkpoint.CheckpointException("memory encodings and labels disagree in count");
        for (int i = 0; i < labels.size(); i++) {
            m.add(java.util.Arrays.copyOfRange(enc, i * ArchParams.SIZE, (i + 1) * ArchParams.SIZE), labels.get(i).asDouble());
        }
        return m;
    }

    static long[] longs(JsonNode n) {
        long[] a = new long[n.size()];
        for (int i = 0; i < a.length; i++) a[i] = n.get(i).asLong();
        return a;
    }

    /** The current architecture parameters (for tests and reports). */
    public ArchParams alpha() { return alpha; }
}
