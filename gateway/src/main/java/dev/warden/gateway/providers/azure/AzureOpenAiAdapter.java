package dev.warden.gateway.providers.azure;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import dev.warden.gateway.providers.openai.OpenAiAdapter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * Azure OpenAI: the OpenAI wire protocol at Azure's URLs. The target model name is the deployment name. Chat
 * completions and embeddings go to {@code /openai/deployments/{deployment}/…?api-version=…} (option
 * {@code api-version}, default {@value #DEFAULT_API_VERSION}); the Responses API goes to the v1 API
 * {@code /openai/v1/responses}, where the deployment is named in the body. Option {@code api=v1} sends every surface
 * to the v1 API. Authentication is the {@code api-key} header, or {@code Authorization: Bearer} with a Microsoft
 * Entra token when option {@code auth=entra}. The base URL is {@code https://{resource}.openai.azure.com}, or give
 * option {@code resource}. Anthropic Messages callers are translated, as for OpenAI.
 */
@Component
public class AzureOpenAiAdapter extends OpenAiAdapter {
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    public AzureOpenAiAdapter(UpstreamHttp http) {
        super(http);
    }

    @Override
    public String type() {
        return "azure-openai";
    }

    @Override
    protected URI target(UpstreamCall call, String path) throws UpstreamException {
        URI base = base(call);
        if ("/responses".equals(path) || "v1".equals(call.endpoint().option("api"))) {
            return UpstreamResponses.resolve(base, "/openai/v1" + path);
        }
        String version = call.endpoint().option("api-version");
        String deployment = URLEncoder.encode(call.upstreamModel(), StandardCharsets.UTF_8);
        return UpstreamResponses.resolve(base, "/openai/deployments/" + deployment + path + "?api-version="
                + URLEncoder.encode(version != null ? version : DEFAULT_API_VERSION, StandardCharsets.UTF_8));
    }

    private static URI base(UpstreamCall call) throws UpstreamException {
        if (call.endpoint().baseUrl() != null) {
            String text = call.endpoint().baseUrl().toString();
            // Accept the resource URL with or without the /openai suffix the portal sometimes shows.
            text = text.replaceAll("/+$", "").replaceAll("/openai(/v1)?$", "");
            return URI.create(text);
        }
        String resource = call.endpoint().option("resource");
        if (resource == null || resource.isBlank()) {
            throw UpstreamException.protocol("azure-openai provider " + call.endpoint().name()
                    + ": base-url missing (expected: https://{resource}.openai.azure.com, or option resource)");
        }
        return URI.create("https://" + resource.strip() + ".openai.azure.com");
    }

    @Override
    protected void authenticate(HttpRequest.Builder builder, UpstreamCall call) {
        if (call.credential() == null) {
            return;
        }
        if ("entra".equalsIgnoreCase(call.endpoint().option("auth"))) {
            builder.setHeader("authorization", "Bearer " + call.credential());
        } else {
            builder.setHeader("api-key", call.credential());
        }
    }
}
