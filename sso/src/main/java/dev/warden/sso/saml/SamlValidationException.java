package dev.warden.sso.saml;

/**
 * A SAML response or metadata document was refused. The message is a short reason for the audit ledger and the
 * login page: it names the check that failed and the values compared, never the whole document.
 */
public final class SamlValidationException extends Exception {
    public SamlValidationException(String reason) {
        super(reason);
    }

    public SamlValidationException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
