package org.proxynas.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a class when there is no usable GPU. A condition rather than an assumption in @BeforeAll: it decides
 * before the suite opens its backend, so the suites' @AfterAll never sees a backend that was not created.
 */
final class GpuAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        CudaProbe.Status s = CudaProbe.probe();
        return s.available() ? ConditionEvaluationResult.enabled("GPU: " + s.reason())
                             : ConditionEvaluationResult.disabled("no usable GPU: " + s.reason());
    }
}
