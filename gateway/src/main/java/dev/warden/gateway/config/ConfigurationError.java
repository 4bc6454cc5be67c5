package dev.warden.gateway.config;

/**
 * A configuration value that cannot work, reported at start with the option's full name, the value and what was
 * expected, e.g. {@code warden.models[0].targets[0].provider: "opneai" (expected: one of [openai, demo])}.
 */
public final class ConfigurationError extends RuntimeException {
    private final String option;

    public ConfigurationError(String option, String value, String expected) {
        super(option + ": \"" + value + "\" (expected: " + expected + ")");
        this.option = option;
    }

    public String option() {
        return option;
    }
}
