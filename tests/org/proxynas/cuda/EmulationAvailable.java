package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a class when the CUDA emulation library was not built (no g++ when native-build/build-cuda.sh ran); decided
 * before the suite opens its backend, like {@link GpuAvailable}.
 */
final class EmulationAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return EmulatedLauncher.available()
                ? ConditionEvaluationResult.enabled("emulation library " + EmulatedLauncher.configuredLibrary())
                : ConditionEvaluationResult.disabled("CUDA emulation library not built (" + EmulatedLauncher.configuredLibrary()
                        + "): g++ missing when native-build/build-cuda.sh ran");
    }
}
