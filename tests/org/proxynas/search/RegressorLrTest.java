package org.proxynas.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cpu.CpuBackend;
import org.proxynas.data.Dataset;
import org.proxynas.data.Datasets;
import org.proxynas.data.SyntheticSpec;
import org.proxynas.proxy.GaeRegressor;
import org.proxynas.proxy.LstmRegressor;
import org.proxynas.proxy.Regressor;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --regressor-lr reaches the regressor's Adam (it was parsed and never read: audit item 3). */
class RegressorLrTest {
    @Test
    void everyOptimisedRegressorTrainsAtTheConfiguredRate(@TempDir Path dir) {
        Dataset d = Datasets.load("synthetic", null, new SyntheticSpec(64, 8, 1, 8, 8, 3, 0));
        try (CpuBackend b = new CpuBackend(1)) {
            for (SearchConfig.RegressorKind kind : SearchConfig.RegressorKind.values()) {
                if (kind == SearchConfig.RegressorKind.ridge) continue; // no optimiser: the CLI refuses --regressor-lr with it
                SearchConfig cfg = SearchConfig.demo().toBuilder().regressor(kind).regressorLr(0.0123).warmupSamples(2).iterations(1)
                        .stepsPerSample(1).channels(2).layers(3).dataFraction(1).valFraction(1).batch(4).evalBatch(4).memoryCapacity(10)
                        .regressorWarmupEpochs(1).regressorMaxEpochs(1).gaePretrainArchs(2).gaePretrainEpochs(1).heldoutSamples(0)
                        .diagnosePaths(0).build();
                Regressor r = Searches.regressor(new SearchSetup(cfg, new RunContext(dir), b, d));
                double lr = r instanceof LstmRegressor l ? l.config().adam().lr() : ((GaeRegressor) r).config().adam().lr();
                assertEquals(0.0123, lr, 0.0, kind.name());
            }
        }
    }
}
