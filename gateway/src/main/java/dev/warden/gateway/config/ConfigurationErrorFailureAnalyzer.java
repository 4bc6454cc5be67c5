package dev.warden.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a configuration mistake as one clear paragraph at start, not as a bean-creation stack trace. */
public class ConfigurationErrorFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationError> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationError cause) {
        return new FailureAnalysis("Invalid Warden configuration: " + cause.getMessage(),
                "Fix " + cause.option() + " in your warden.yaml (the README lists every option).", cause);
    }
}
