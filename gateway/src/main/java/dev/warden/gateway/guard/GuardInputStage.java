package dev.warden.gateway.guard;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.surface.CanonicalRequest;
import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.Direction;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.InspectionContext;
import dev.warden.guardrails.TextPart;
import java.util.List;

/**
 * Stage 5: the key's guardrail policy on the prompt — message text, tool-call arguments and tool results — before it
 * leaves. Redactions are written back into the request; a block ends the request with a policy error in the caller's
 * protocol. Findings are recorded (types and counts) before dispatch.
 */
public final class GuardInputStage implements Stage {
    private final GuardrailPolicies policies;
    private final GuardVerdicts verdicts;

    public GuardInputStage(GuardrailPolicies policies, GuardVerdicts verdicts) {
        this.policies = policies;
        this.verdicts = verdicts;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        VirtualKey key = exchange.get(VirtualKey.ATTRIBUTE);
        GuardrailPolicy policy = policies.policyFor(key);
        GuardContext context = new GuardContext(policy, InspectionContext.of(key.id(), key.teamId()));
        exchange.put(GuardContext.ATTRIBUTE, context);
        if (policy.stepsFor(Direction.INPUT).isEmpty()) {
            return chain.proceed(exchange);
        }
        CanonicalRequest request = exchange.get(CanonicalRequest.ATTRIBUTE);
        List<TextPart> parts = TextParts.ofRequest(request.surface(), request.body());
        if (!parts.isEmpty()) {
            ChainOutcome outcome = policies.chain(policy).run(new Inspection(Direction.INPUT, parts,
                    context.inspection()));
            verdicts.record(exchange, outcome, true);
            if (outcome.blocked()) {
                throw blocked(outcome, "request");
            }
            TextParts.writeBack(request.body(), outcome.parts());
        }
        return chain.proceed(exchange);
    }

    /** A block verdict is a policy error; a fail-closed guardrail that could not answer is a 503. */
    static GatewayException blocked(ChainOutcome outcome, String what) {
        var block = outcome.block();
        String guardrail = outcome.blockedBy() == null ? "?" : outcome.blockedBy().guardrail();
        if (block == null) {
            return new GatewayException(ErrorKind.UNAVAILABLE, "Guardrail '" + guardrail + "' could not check the "
                    + what + " and its policy is fail-closed; retry later");
        }
        return new GatewayException(ErrorKind.POLICY_BLOCKED, "The " + what + " was blocked by guardrail '"
                + guardrail + "': " + block.reason() + " (" + block.category() + ")");
    }
}
