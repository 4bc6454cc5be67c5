package dev.warden.gateway.guard;

import dev.warden.gateway.pipeline.Attribute;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.InspectionContext;

/** The guardrail policy and the per-request vault (redaction tokens), shared by the input and output stages. */
public record GuardContext(GuardrailPolicy policy, InspectionContext inspection) {
    public static final Attribute<GuardContext> ATTRIBUTE = Attribute.of("guard", GuardContext.class);
}
