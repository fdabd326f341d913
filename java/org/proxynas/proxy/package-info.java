/**
 * The proxy validation loss landscape of PVLL-NAS (docs/method.md#proxy): the memory of (relaxed architecture,
 * measured validation loss) pairs, the regressors fitted to it, and the steps that use them.
 *
 * <ul>
 *   <li>{@link org.proxynas.proxy.ArchMemory}: FIFO of (Ã encoding, loss), capacity 100, snapshot/restore.</li>
 *   <li>{@link org.proxynas.proxy.Regressor}: predict, train step, dJ/dα for J = ŷ², save/load. Implementations
 *       {@link org.proxynas.proxy.LstmRegressor} (ICML) and {@link org.proxynas.proxy.GaeRegressor} (TPAMI),
 *       the latter pretrained by {@link org.proxynas.proxy.GaePretrainer}; and ours,
 *       {@link org.proxynas.proxy.RidgeRegressor}, a linear model fitted exactly on the host (docs/method.md#ridge).</li>
 *   <li>{@link org.proxynas.proxy.RegressorTrainer}: regressor epochs with early stop on
 *       {@link org.proxynas.proxy.KendallTau} τ-b (or on the loss).</li>
 *   <li>{@link org.proxynas.proxy.ArchitectureStep}: the Adam step on α; {@link org.proxynas.proxy.Oiw}: the
 *       operation importance weight and its noise scale.</li>
 * </ul>
 *
 * <p>All tensor work of the LSTM and GAE goes through {@code Backend.kernels()}; host reads are explicit copies (predictions, the
 * α gradient, the GIN ε scalars, losses). The α optimiser, OIW and Kendall τ are small host computations on 224
 * floats.
 *
 * <p>The project's own choices (docs/method.md#deviations), with the default first and the reference behaviour as an option:
 * GAE BatchNorm in eval mode during prediction and the α gradient, or batch statistics
 * ({@link org.proxynas.proxy.GaeConfig.BnMode}, docs/method.md#deviations); all GAE parameters fine-tuned during search, or the head only
 * ({@link org.proxynas.proxy.GaeConfig.FineTune}, docs/method.md#deviations); the adjacency reconstruction compared on the strict
 * upper triangle with BCE and the op reconstruction as softmax cross-entropy against the one-hot class (docs/method.md#deviations;
 * no reference option, as the reference scripts disagree with each other); pretraining graphs from
 * Ã = softmax((α+g)/τ) rather than raw α (docs/method.md#gae); OIW from the pure gradient of J (docs/method.md#sampling-and-oiw); early stop on Kendall τ-b
 * &gt; 0.95, or on loss &lt; 1e-3 as the EA script ({@link org.proxynas.proxy.RegressorTrainer.StopRule}).
 */
package org.proxynas.proxy;
