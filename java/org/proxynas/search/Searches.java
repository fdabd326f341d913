package org.proxynas.search;

import org.proxynas.proxy.LstmRegressor;
import org.proxynas.proxy.Regressor;

/** Builds the search method a configuration names. */
public final class Searches {
    private Searches() {}

    public static SearchMethod create(SearchSetup setup) {
        SearchConfig cfg = setup.config();
        return switch (cfg.method()) {
            case "pvll", "evolve" -> new ProxySearch(setup, regressor(setup));
            case "darts" -> new DartsSearch(setup);
            case "random" -> new RandomSearch(setup);
            default -> throw new IllegalArgumentException("unknown method '" + cfg.method() + "'");
        };
    }

    private static Regressor regressor(SearchSetup setup) {
        if (setup.config().regressor().equals("gae")) {
            throw new IllegalArgumentException("--regressor gae is not available in this build yet");
        }
        return new LstmRegressor(setup.backend(), setup.rootRng().split());
    }
}
