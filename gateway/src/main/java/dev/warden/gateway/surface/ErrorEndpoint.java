package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.ErrorKind;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders every error the servlet container or Spring produces (unknown path, wrong method, oversized headers)
 * in OpenAI's error shape, or Anthropic's under {@code /anthropic}, instead of an HTML page or a stack trace.
 */
@RestController
public class ErrorEndpoint implements ErrorController {

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s ? s : "";
        ErrorKind kind = switch (status) {
            case 400 -> ErrorKind.INVALID_REQUEST;
            case 401 -> ErrorKind.AUTHENTICATION;
            case 403 -> ErrorKind.PERMISSION;
            case 404 -> ErrorKind.NOT_FOUND;
            case 405 -> ErrorKind.METHOD_NOT_ALLOWED;
            case 413 -> ErrorKind.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
        };
        String message = switch (status) {
            case 404 -> "Unknown path " + ErrorBodies.quotable(path);
            case 405 -> "Method " + request.getMethod() + " is not allowed on " + ErrorBodies.quotable(path);
            case 400 -> "Bad request";
            default -> status >= 500 ? "Internal gateway error" : "Request failed with status " + status;
        };
        byte[] body = ErrorBodies.bytes(ErrorBodies.protocolOf(path), kind, message, null);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
