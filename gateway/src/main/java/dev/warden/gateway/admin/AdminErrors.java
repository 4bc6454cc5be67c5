package dev.warden.gateway.admin;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Admin API errors in the same {@code {"error":{...}}} shape as the LLM API, naming the field at fault. */
@RestControllerAdvice(assignableTypes = {AdminApi.class, AuditApi.class})
public class AdminErrors {

    @ExceptionHandler(AdminException.class)
    public ResponseEntity<byte[]> refused(AdminException e) {
        ErrorKind kind = switch (e.status()) {
            case 404 -> ErrorKind.NOT_FOUND;
            case 503 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INVALID_REQUEST;
        };
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.bytes(Surface.Protocol.OPENAI, kind, e.getMessage(), e.field()));
    }
}
