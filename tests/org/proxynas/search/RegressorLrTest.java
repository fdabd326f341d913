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
    void bothRegressorsTrainAtTheConfiguredRate(@TempDir Path dir) {
        Dataset d = Datasets.load("synthetic", null, new SyntheticSpec(64, 8, 1, 8, 8, 3, 0));
        try (CpuBackend b = new CpuBackend(1)) {
            for (String kind : new String[] {"lstm", "gae"}) {
                SearchConfig s = SearchConfig.demo();
                SearchConfig cfg = new SearchConfig("pvll", kind, false, 2, 1, 1, 1, 0.95, 10, 4, 4, s.lr(), s.lrMin(), s.momentum(),
                        s.weightDecay(), s.gradClip(), s.temperature(), s.alphaLr(), s.alphaWeightDecay(), 0.0123, 1, 1, 1, true, 2, 3, 2, 1,
                        null, 0, 1, 1);
                Regressor r = Searches.regressor(new SearchSetup(cfg, new RunContext(dir), b, d));
                double lr = r instanceof LstmRegressor l ? l.config().adam().lr() : ((GaeRegressor) r).config().adam().lr();
                assertEquals(0.0123, lr, 0.0, kind);
            }
        }
    }
}
