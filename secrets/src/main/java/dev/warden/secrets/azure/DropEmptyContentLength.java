package dev.warden.secrets.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/**
 * Removes {@code Content-Length: 0} from requests without a body. The SDK sets it on every GET; the JDK HTTP client
 * does not allow that header to be set (it computes it) and the Azure adapter logs a warning each time, which would
 * put one WARN line per Key Vault call into the gateway's logs.
 */
final class DropEmptyContentLength implements HttpPipelinePolicy {

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        drop(context.getHttpRequest());
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        drop(context.getHttpRequest());
        return next.processSync();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        // Per retry, so it runs after the Key Vault challenge policy has set the header on its bodiless first try.
        return HttpPipelinePosition.PER_RETRY;
    }

    private static void drop(HttpRequest request) {
        if (request.getBodyAsBinaryData() == null && "0".equals(request.getHeaders().getValue(HttpHeaderName.CONTENT_LENGTH))) {
            request.getHeaders().remove(HttpHeaderName.CONTENT_LENGTH);
        }
    }
}
