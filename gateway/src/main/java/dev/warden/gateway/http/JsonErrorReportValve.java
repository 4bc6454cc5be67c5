package dev.warden.gateway.http;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's last-resort error page (oversized headers, malformed request lines: errors raised before the request
 * reaches Spring) as an OpenAI-shaped JSON error instead of HTML. Never includes a stack trace or server details.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorKind kind = switch (status) {
            case 404 -> ErrorKind.NOT_FOUND;
            case 405 -> ErrorKind.METHOD_NOT_ALLOWED;
            case 413 -> ErrorKind.PAYLOAD_TOO_LARGE;
            default -> status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_REQUEST;
        };
        String message = status == 400 ? "Bad request (malformed request line or headers larger than the limit)"
                : status >= 500 ? "Internal gateway error" : "Request failed with status " + status;
        byte[] body = ErrorBodies.bytes(Surface.Protocol.OPENAI, kind, message, null);
        try {
            response.setContentType("application/json");
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone or the response cannot be written: nothing more to do
        }
    }
}
