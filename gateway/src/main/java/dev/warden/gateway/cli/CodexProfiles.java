package dev.warden.gateway.cli;

/** The Codex CLI profile that sends Codex's Responses API traffic through Warden. */
public final class CodexProfiles {
    static final String HEADER = "# Written by `warden codex`; re-running it replaces this file.\n";

    private CodexProfiles() {
    }

    /**
     * The contents of {@code $CODEX_HOME/warden.config.toml}: selects provider {@code warden} (Responses wire API,
     * base URL ending in {@code /v1}, the virtual key read from {@code keyEnv}) and the model.
     */
    public static String profile(String baseUrl, String model, String keyEnv) {
        return HEADER
                + "model_provider = \"warden\"\n"
                + "model = " + toml(model) + "\n"
                + "\n"
                + "[model_providers.warden]\n"
                + "name = \"Warden\"\n"
                + "base_url = " + toml(baseUrl) + "\n"
                + "env_key = " + toml(keyEnv) + "\n"
                + "wire_api = \"responses\"\n";
    }

    static String toml(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

}
