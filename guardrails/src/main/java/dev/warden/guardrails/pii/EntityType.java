package dev.warden.guardrails.pii;

/**
 * What the PII engine finds. The {@link #label()} names placeholders ({@code [EMAIL_1]}) and ledger counts.
 */
public enum EntityType {
    EMAIL("EMAIL"),
    PHONE("PHONE"),
    CREDIT_CARD("CREDIT_CARD"),
    IBAN("IBAN"),
    US_SSN("US_SSN"),
    IP_ADDRESS("IP_ADDRESS"),
    AWS_ACCESS_KEY("AWS_ACCESS_KEY"),
    AWS_SECRET_KEY("AWS_SECRET_KEY"),
    OPENAI_API_KEY("OPENAI_KEY"),
    ANTHROPIC_API_KEY("ANTHROPIC_KEY"),
    GOOGLE_API_KEY("GOOGLE_KEY"),
    STRIPE_KEY("STRIPE_KEY"),
    SLACK_TOKEN("SLACK_TOKEN"),
    GITHUB_TOKEN("GITHUB_TOKEN"),
    JWT("JWT"),
    PRIVATE_KEY("PRIVATE_KEY"),
    PASSWORD("PASSWORD"),
    /** A credential assigned to a key such as {@code api_key}, {@code client_secret}, {@code token}. */
    SECRET("SECRET"),
    PERSON_NAME("PERSON"),
    STREET_ADDRESS("ADDRESS");

    private final String label;

    EntityType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this is a credential rather than personal data; secrets are never worth restoring to an answer. */
    public boolean isSecret() {
        return switch (this) {
            case AWS_ACCESS_KEY, AWS_SECRET_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY, STRIPE_KEY,
                    SLACK_TOKEN, GITHUB_TOKEN, JWT, PRIVATE_KEY, PASSWORD, SECRET -> true;
            default -> false;
        };
    }
}
