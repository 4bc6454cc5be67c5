package dev.warden.gateway.routing;

import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.providers.openai.OpenAiAdapter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Model names callers use, mapped to ordered targets (provider + provider's model name). Built once from
 * configuration and checked as a whole: every target names a configured provider whose type has an adapter.
 */
public final class RouteTable {
    /** Types that are the OpenAI wire protocol under another name, with their public default base URLs. */
    private static final Map<String, @Nullable URI> OPENAI_COMPATIBLE = new TreeMap<>();

    static {
        OPENAI_COMPATIBLE.put("openai", OpenAiAdapter.DEFAULT_BASE_URL);
        OPENAI_COMPATIBLE.put("openai-compatible", null);
        OPENAI_COMPATIBLE.put("vllm", null);
        OPENAI_COMPATIBLE.put("ollama", URI.create("http://127.0.0.1:11434/v1"));
        OPENAI_COMPATIBLE.put("groq", URI.create("https://api.groq.com/openai/v1"));
        OPENAI_COMPATIBLE.put("mistral", URI.create("https://api.mistral.ai/v1"));
    }

    private final Map<String, ProviderEndpoint> endpoints;
    private final Map<String, Route> exact;
    private final List<Route> prefixes;

    private RouteTable(Map<String, ProviderEndpoint> endpoints, Map<String, Route> exact, List<Route> prefixes) {
        this.endpoints = endpoints;
        this.exact = exact;
        this.prefixes = prefixes;
    }

    /** An ordered fallback chain for one model name. */
    public record Route(String name, List<Target> targets) {
        public Route {
            targets = List.copyOf(targets);
        }
    }

    /** One hop: a provider and the model name to ask it for ({@code null} means the name the caller asked for). */
    public record Target(ProviderEndpoint endpoint, @Nullable String model) {
        public String modelFor(String requested) {
            return model == null || "*".equals(model) ? requested : model;
        }
    }

    public static RouteTable from(WardenProperties properties, Map<String, ProviderAdapter> adapters) {
        Map<String, ProviderEndpoint> endpoints = new LinkedHashMap<>();
        List<WardenProperties.Provider> providers = new ArrayList<>(properties.providers());
        List<WardenProperties.Model> models = new ArrayList<>(properties.models());
        if (properties.demo()) {
            // Demo mode works with no configuration at all; configured providers and models are kept beside it.
            if (providers.stream().noneMatch(p -> p.name().equals("demo"))) {
                providers.add(new WardenProperties.Provider("demo", "demo", null, List.of(), Map.of(), null, Map.of()));
            }
            if (models.stream().noneMatch(m -> m.name().equals("demo"))) {
                models.add(new WardenProperties.Model("demo", List.of(new WardenProperties.Target("demo", "demo"))));
            }
        }
        for (int i = 0; i < providers.size(); i++) {
            WardenProperties.Provider p = providers.get(i);
            String key = "warden.providers[" + i + "]";
            String type = p.type().strip().toLowerCase();
            URI baseUrl = p.baseUrl();
            if (OPENAI_COMPATIBLE.containsKey(type)) {
                if (baseUrl == null) {
                    baseUrl = OPENAI_COMPATIBLE.get(type);
                    if (baseUrl == null) {
                        throw new ConfigurationError(key + ".base-url", "missing",
                                "the URL of the OpenAI-compatible server, e.g. http://vllm:8000/v1");
                    }
                }
                type = "openai";
            }
            if (!adapters.containsKey(type)) {
                throw new ConfigurationError(key + ".type", p.type(), "one of " + knownTypes(adapters));
            }
            if (baseUrl != null) {
                String scheme = baseUrl.getScheme();
                if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
                        || !("http".equals(scheme) || "https".equals(scheme))) {
                    throw new ConfigurationError(key + ".base-url", baseUrl.toString(), "an absolute http(s) URL");
                }
            }
            if (endpoints.containsKey(p.name())) {
                throw new ConfigurationError(key + ".name", p.name(), "a name not used by another provider");
            }
            List<ProviderEndpoint.ProviderCredential> credentials = new ArrayList<>();
            for (WardenProperties.Credential c : p.keys()) {
                if (credentials.stream().anyMatch(existing -> existing.id().equals(c.id()))) {
                    throw new ConfigurationError(key + ".keys", c.id(), "key ids unique within a provider");
                }
                credentials.add(new ProviderEndpoint.ProviderCredential(c.id(), c.secret(), c.weight()));
            }
            if (credentials.isEmpty()) {
                // A keyless endpoint (local vLLM/Ollama, or a proxy that injects its own credentials).
                credentials.add(new ProviderEndpoint.ProviderCredential("default", null, 1));
            }
            endpoints.put(p.name(), new ProviderEndpoint(p.name(), type, baseUrl, p.headers(), credentials,
                    p.timeout(), p.options()));
        }

        Map<String, Route> exact = new LinkedHashMap<>();
        List<Route> prefixes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            WardenProperties.Model m = models.get(i);
            String key = "warden.models[" + i + "]";
            List<Target> targets = new ArrayList<>();
            for (int j = 0; j < m.targets().size(); j++) {
                WardenProperties.Target t = m.targets().get(j);
                ProviderEndpoint endpoint = endpoints.get(t.provider());
                if (endpoint == null) {
                    throw new ConfigurationError(key + ".targets[" + j + "].provider", t.provider(),
                            "one of the configured providers " + endpoints.keySet());
                }
                targets.add(new Target(endpoint, t.model()));
            }
            Route route = new Route(m.name(), targets);
            boolean duplicate = exact.containsKey(m.name())
                    || prefixes.stream().anyMatch(r -> r.name().equals(m.name()));
            if (duplicate) {
                throw new ConfigurationError(key + ".name", m.name(), "a model name not configured twice");
            }
            if (m.name().endsWith("*")) {
                prefixes.add(route);
            } else {
                exact.put(m.name(), route);
            }
        }
        // Longest prefix wins, so "gpt-4o*" beats "gpt-*".
        prefixes.sort((a, b) -> Integer.compare(b.name().length(), a.name().length()));
        return new RouteTable(Map.copyOf(endpoints), Map.copyOf(exact), List.copyOf(prefixes));
    }

    public Optional<Route> resolve(String model) {
        Route route = exact.get(model);
        if (route != null) {
            return Optional.of(route);
        }
        for (Route prefix : prefixes) {
            if (model.startsWith(prefix.name().substring(0, prefix.name().length() - 1))) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    /** The concrete model names (patterns are not listed: they stand for names the provider knows). */
    public List<String> modelNames() {
        return exact.keySet().stream().sorted().toList();
    }

    public Map<String, ProviderEndpoint> endpoints() {
        return endpoints;
    }

    private static String knownTypes(Map<String, ProviderAdapter> adapters) {
        List<String> types = new ArrayList<>(adapters.keySet());
        types.addAll(OPENAI_COMPATIBLE.keySet());
        return types.stream().distinct().sorted().toList().toString();
    }
}
