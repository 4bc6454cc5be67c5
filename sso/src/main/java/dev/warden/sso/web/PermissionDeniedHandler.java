package dev.warden.sso.web;

import dev.warden.sso.rbac.PermissionDeniedException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns a {@link PermissionDeniedException} from any controller into {@code 403} with the reason as problem detail. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PermissionDeniedHandler {

    @ExceptionHandler(PermissionDeniedException.class)
    public ResponseEntity<ProblemDetail> forbidden(PermissionDeniedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, String.valueOf(e.getMessage()));
        problem.setTitle("Forbidden");
        if (e.permission() != null) {
            problem.setProperty("permission", e.permission().name());
        }
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem);
    }
}
