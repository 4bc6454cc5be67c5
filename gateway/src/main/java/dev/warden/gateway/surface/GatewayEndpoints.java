package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.Surface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The LLM API surfaces on Tomcat's port: hands each request to {@link SurfaceHandler} with the servlet response as
 * its {@link Answer}. The {@code POST}s usually arrive through {@link SurfaceDispatch}, ahead of Spring MVC; the
 * mappings here are the reference for which paths exist.
 */
@RestController
public class GatewayEndpoints {
    private final SurfaceHandler handler;

    public GatewayEndpoints(SurfaceHandler handler) {
        this.handler = handler;
    }

    @PostMapping({"/v1/chat/completions", "/openai/v1/chat/completions", "/chat/completions"})
    public void chat(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(Surface.CHAT_COMPLETIONS, request, response);
    }

    @PostMapping({"/v1/responses", "/openai/v1/responses", "/responses"})
    public void responses(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(Surface.RESPONSES, request, response);
    }

    @PostMapping({"/v1/embeddings", "/openai/v1/embeddings", "/embeddings"})
    public void embeddings(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(Surface.EMBEDDINGS, request, response);
    }

    @PostMapping({"/anthropic/v1/messages", "/anthropic/messages"})
    public void messages(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(Surface.ANTHROPIC_MESSAGES, request, response);
    }

    @PostMapping({"/anthropic/v1/messages/count_tokens", "/anthropic/messages/count_tokens"})
    public void countTokens(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(Surface.ANTHROPIC_COUNT_TOKENS, request, response);
    }

    @GetMapping({"/v1/models", "/openai/v1/models", "/anthropic/v1/models"})
    public void models(HttpServletRequest request, HttpServletResponse response) {
        handler.models(request.getRequestURI(), headers(request), request.getRemoteAddr(), null,
                new ServletAnswer(response));
    }

    @GetMapping({"/v1/models/{model}", "/openai/v1/models/{model}"})
    public void model(@PathVariable String model, HttpServletRequest request, HttpServletResponse response) {
        handler.models(request.getRequestURI(), headers(request), request.getRemoteAddr(), model,
                new ServletAnswer(response));
    }

    void serve(Surface surface, HttpServletRequest request, HttpServletResponse response) throws IOException {
        InputStream body = request.getInputStream();
        handler.serve(surface, request.getRequestURI(), headers(request), request.getContentLengthLong(), body,
                request.getRemoteAddr(), new ServletAnswer(response));
    }

    /** The request's headers by lower-case name, built once in the immutable form the pipeline keeps. */
    static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new HashMap<>(32);
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            List<String> list;
            if (!values.hasMoreElements()) {
                list = List.of();
            } else {
                String first = values.nextElement();
                if (!values.hasMoreElements()) {
                    list = List.of(first); // nearly every header: no list to grow and copy
                } else {
                    List<String> all = new ArrayList<>(4);
                    all.add(first);
                    while (values.hasMoreElements()) {
                        all.add(values.nextElement());
                    }
                    list = List.copyOf(all);
                }
            }
            headers.put(name.toLowerCase(Locale.ROOT), list);
        }
        return Map.copyOf(headers);
    }

    /** The servlet response as an {@link Answer}: Tomcat frames the body (Content-Length or chunked). */
    private record ServletAnswer(HttpServletResponse response) implements Answer {
        @Override
        public boolean committed() {
            return response.isCommitted();
        }

        @Override
        public OutputStream begin(int status, Map<String, String> headers, long contentLength) throws IOException {
            response.resetBuffer();
            response.setStatus(status);
            headers.forEach(response::setHeader);
            if (contentLength >= 0) {
                response.setContentLengthLong(contentLength);
            }
            return response.getOutputStream();
        }
    }
}
