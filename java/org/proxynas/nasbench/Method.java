package org.proxynas.nasbench;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.proxynas.tensor.Backend;

/** The methods of the comparison, by the id used on the command line and in the result files. */
public enum Method {
    RANDOM("random"),
    REGULARIZED_EVOLUTION("re"),
    LOCAL_SEARCH("ls"),
    PVLL_LSTM("pvll-lstm"),
    PVLL_LSTM_OIW("pvll-lstm-oiw"),
    PVLL_GAE("pvll-gae"),
    PVLL_GAE_OIW("pvll-gae-oiw"),
    EA_PVLL("ea-pvll"),
    PVLL_RIDGE("pvll-ridge"),
    PVLL_RIDGE_OIW("pvll-ridge-oiw"),
    EA_PVLL_RIDGE("ea-pvll-ridge");

    /** NAS-Bench-301's regularized-evolution baseline: population 100, tournament 25. */
    public static final int RE_POPULATION = 100, RE_SAMPLE = 25;
    /** NASLib's local search starts from the best of 10 random genotypes. */
    public static final int LS_INITIAL = 10;

    private final String id;

    Method(String id) { this.id = id; }

    public String id() { return id; }

    public boolean isPvll() { return ordinal() >= PVLL_LSTM.ordinal(); }

    /** A fresh strategy for one unit; PVLL variants take the shared settings and set proxy, OIW and form. */
    public Strategy create(PvllSettings pvll, Backend backend) {
        return switch (this) {
            case RANDOM -> new RandomSearch();
            case REGULARIZED_EVOLUTION -> new RegularizedEvolution(RE_POPULATION, RE_SAMPLE);
            case LOCAL_SEARCH -> new LocalSearch(LS_INITIAL);
            case PVLL_LSTM -> new PvllStrategy(pvll.with(PvllSettings.Proxy.LSTM, false, false), backend);
            case PVLL_LSTM_OIW -> new PvllStrategy(pvll.with(PvllSettings.Proxy.LSTM, true, false), backend);
            case PVLL_GAE -> new PvllStrategy(pvll.with(PvllSettings.Proxy.GAE, false, false), backend);
            case PVLL_GAE_OIW -> new PvllStrategy(pvll.with(PvllSettings.Proxy.GAE, true, false), backend);
            case EA_PVLL -> new PvllStrategy(pvll.with(PvllSettings.Proxy.LSTM, false, true), backend);
            case PVLL_RIDGE -> new PvllStrategy(pvll.with(PvllSettings.Proxy.RIDGE, false, false), backend);
            case PVLL_RIDGE_OIW -> new PvllStrategy(pvll.with(PvllSettings.Proxy.RIDGE, true, false), backend);
            case EA_PVLL_RIDGE -> new PvllStrategy(pvll.with(PvllSettings.Proxy.RIDGE, false, true), backend);
        };
    }

    public static Method fromId(String id) {
        for (Method m : values()) if (m.id.equals(id)) return m;
        throw new IllegalArgumentException("unknown method '" + id + "'; expected one of " + ids());
    }

    public static String ids() { return Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")); }
}
