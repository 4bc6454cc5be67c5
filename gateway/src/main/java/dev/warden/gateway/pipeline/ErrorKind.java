package dev.warden.gateway.pipeline;

/**
 * The classes of error the gateway reports. Each maps to one HTTP status and to the error type and code the
 * caller's protocol uses, so every surface renders the same failure the same way.
 */
public enum ErrorKind {
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
    AUTHENTICATION(401, "authentication_error", "invalid_api_key"),
    PAYMENT_REQUIRED(402, "insufficient_quota", "budget_exceeded"),
    PERMISSION(403, "permission_error", "permission_denied"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    PAYLOAD_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
    POLICY_BLOCKED(400, "invalid_request_error", "content_policy_violation"),
    RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
    UPSTREAM_RATE_LIMITED(429, "rate_limit_error", "upstream_rate_limited"),
    INTERNAL(500, "server_error", "internal_error"),
    BAD_GATEWAY(502, "server_error", "upstream_error"),
    UNAVAILABLE(503, "server_error", "service_unavailable"),
    GATEWAY_TIMEOUT(504, "server_error", "upstream_timeout");

    private final int status;
    private final String type;
    private final String code;

    ErrorKind(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The OpenAI {@code error.type}. */
    public String type() {
        return type;
    }

    /** The OpenAI {@code error.code}. */
    public String code() {
        return code;
    }

    /** The Anthropic {@code error.type} for the same failure. */
    public String anthropicType() {
        return switch (this) {
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION, PAYMENT_REQUIRED -> "permission_error";
            case NOT_FOUND, MODEL_NOT_FOUND -> "not_found_error";
            case PAYLOAD_TOO_LARGE -> "request_too_large";
            case RATE_LIMITED, UPSTREAM_RATE_LIMITED -> "rate_limit_error";
            case UNAVAILABLE -> "overloaded_error";
            case INTERNAL, BAD_GATEWAY, GATEWAY_TIMEOUT -> "api_error";
            default -> "invalid_request_error";
        };
    }
}
