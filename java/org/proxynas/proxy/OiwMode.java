package org.proxynas.proxy;

/** How {@link Oiw} combines the per-step weights w_t (docs/method.md#sampling-and-oiw). */
public enum OiwMode {
    /** OIW = (1/T) Σ_t w_t: the reference default. */
    MEAN,
    /** OIW = Σ_t w_t (entries can exceed 1, so s = 1 − OIW can turn negative, as in the reference). */
    SUM,
    /** OIW = w_T: the latest step only. */
    SINGLE
}
