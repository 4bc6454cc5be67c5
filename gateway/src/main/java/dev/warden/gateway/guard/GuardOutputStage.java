package dev.warden.gateway.guard;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.Direction;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.RedactionVault;
import dev.warden.guardrails.TextPart;
import dev.warden.guardrails.pii.PiiRedactionGuardrail;
import dev.warden.guardrails.pii.StreamingRedactor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stage 8: the policy's output steps on the answer, and restoring reversible tokens for the caller. A JSON answer runs
 * the whole chain; a blocked answer is replaced by a policy error in the caller's protocol (the provider was paid, so
 * the reply still settles). A stream is redacted chunk by chunk with the local PII engine over a sliding window, so
 * values split across chunks are caught and the stream is held back by at most the window; vendor guardrails on
 * streamed output are not run (text already sent cannot be recalled).
 */
public final class GuardOutputStage implements Stage {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GuardrailPolicies policies;
    private final GuardVerdicts verdicts;

    public GuardOutputStage(GuardrailPolicies policies, GuardVerdicts verdicts) {
        this.policies = policies;
        this.verdicts = verdicts;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        Reply reply = chain.proceed(exchange);
        GuardContext context = exchange.find(GuardContext.ATTRIBUTE);
        if (context == null) {
            return reply;
        }
        GuardrailPolicy policy = context.policy();
        RedactionVault vault = context.inspection().vault();
        boolean outputSteps = !policy.stepsFor(Direction.OUTPUT).isEmpty();
        if (!outputSteps && !vault.hasReversibleValues()) {
            return reply;
        }
        return switch (reply) {
            case Reply.Json json -> json.status() / 100 == 2 ? guardJson(exchange, json, context, outputSteps) : json;
            case Reply.Stream stream -> new Reply.Stream(new GuardedStream(stream.events(), exchange.surface(), vault,
                    outputSteps && policy.stepsFor(Direction.OUTPUT).stream()
                            .anyMatch(s -> s.guardrail().equals(PiiRedactionGuardrail.NAME))
                            ? new StreamingRedactor(policies.redactor(), vault) : null,
                    vault.hasReversibleValues() ? vault.streamingRestorer() : null), stream.headers());
        };
    }

    private Reply guardJson(Exchange exchange, Reply.Json json, GuardContext context, boolean outputSteps) {
        if (!TextParts.answerHasText(exchange.surface())) {
            return json; // nothing to inspect or restore: not worth parsing (an embeddings batch can be 40+ MB)
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(json.body());
        } catch (JacksonException e) {
            return json;
        }
        List<TextPart> parts = TextParts.ofAnswer(exchange.surface(), answer);
        if (parts.isEmpty()) {
            return json;
        }
        if (outputSteps) {
            ChainOutcome outcome = policies.chain(context.policy()).run(new Inspection(Direction.OUTPUT, parts,
                    context.inspection()));
            verdicts.record(exchange, outcome, false);
            if (outcome.blocked()) {
                GatewayException e = GuardInputStage.blocked(outcome, "answer");
                // Returned, not thrown: the provider answered and is paid, so GovernStage must still settle the real
                // usage on the way back, which it does for replies and not for exceptions.
                return new Reply.Json(e.status(), ErrorBodies.bytes(exchange.surface().protocol(), e.kind(),
                        e.getMessage(), null), java.util.Map.of());
            }
            parts = outcome.parts();
        }
        RedactionVault vault = context.inspection().vault();
        if (vault.hasReversibleValues()) {
            List<TextPart> restored = new ArrayList<>(parts.size());
            for (TextPart part : parts) {
                restored.add(part.withText(vault.restore(part.text())));
            }
            parts = restored;
        }
        TextParts.writeBack(answer, parts);
        return new Reply.Json(json.status(), JSON.writeValueAsBytes(answer), json.headers());
    }

    /**
     * Rewrites the text deltas of a stream (chat {@code delta.content}, Responses {@code output_text.delta},
     * Anthropic {@code text_delta}). Text the window still holds is released, as one more delta, before the first
     * event that is not a delta; whole-text events ({@code output_text.done}, {@code response.completed}) are redacted
     * in full with the same vault, so placeholders match.
     */
    private final class GuardedStream implements EventStream {
        private final EventStream events;
        private final Surface surface;
        private final RedactionVault vault;
        private final @Nullable StreamingRedactor redactor;
        private final RedactionVault.@Nullable StreamingRestorer restorer;
        private final ArrayDeque<SseEvent> pending = new ArrayDeque<>();
        private @Nullable ObjectNode lastDelta;
        private @Nullable String lastDeltaName;

        GuardedStream(EventStream events, Surface surface, RedactionVault vault, @Nullable StreamingRedactor redactor,
                      RedactionVault.@Nullable StreamingRestorer restorer) {
            this.events = events;
            this.surface = surface;
            this.vault = vault;
            this.redactor = redactor;
            this.restorer = restorer;
        }

        @Override
        public @Nullable SseEvent next() throws IOException {
            if (!pending.isEmpty()) {
                return pending.poll();
            }
            SseEvent event = events.next();
            if (event == null) {
                flushInto(pending);
                return pending.poll();
            }
            if (event.isDone() || !event.data().startsWith("{")) {
                flushInto(pending);
                pending.add(event);
                return pending.poll();
            }
            JsonNode parsed;
            try {
                parsed = JSON.readTree(event.data());
            } catch (JacksonException e) {
                pending.add(event);
                return pending.poll();
            }
            if (!(parsed instanceof ObjectNode node)) {
                pending.add(event);
                return pending.poll();
            }
            ObjectNode deltaHolder = deltaHolder(node);
            if (deltaHolder != null) {
                String field = deltaField();
                String text = deltaHolder.path(field).asString("");
                deltaHolder.put(field, transform(text));
                lastDelta = node.deepCopy();
                lastDeltaName = event.event();
                pending.add(new SseEvent(event.event(), JSON.writeValueAsString(node)));
                return pending.poll();
            }
            flushInto(pending);
            if (redactWhole(node)) {
                pending.add(new SseEvent(event.event(), JSON.writeValueAsString(node)));
            } else {
                pending.add(event);
            }
            return pending.poll();
        }

        private String transform(String text) {
            String out = redactor == null ? text : redactor.accept(text);
            return restorer == null ? out : restorer.accept(out);
        }

        /** Emits what the window still holds as one more delta shaped like the last one. */
        private void flushInto(ArrayDeque<SseEvent> queue) {
            if (lastDelta == null) {
                return;
            }
            String rest = redactor == null ? "" : redactor.finish();
            rest = restorer == null ? rest : restorer.accept(rest) + restorer.finish();
            ObjectNode template = lastDelta;
            lastDelta = null;
            if (rest.isEmpty()) {
                return;
            }
            ObjectNode holder = deltaHolder(template);
            if (holder != null) {
                holder.put(deltaField(), rest);
                queue.add(new SseEvent(lastDeltaName, JSON.writeValueAsString(template)));
            }
        }

        private @Nullable ObjectNode deltaHolder(ObjectNode node) {
            return switch (surface) {
                case CHAT_COMPLETIONS -> {
                    JsonNode delta = node.path("choices").path(0).path("delta");
                    yield delta instanceof ObjectNode d && d.path("content").isString() ? d : null;
                }
                case RESPONSES -> "response.output_text.delta".equals(node.path("type").asString("")) ? node : null;
                case ANTHROPIC_MESSAGES -> {
                    JsonNode delta = node.path("delta");
                    yield "content_block_delta".equals(node.path("type").asString(""))
                            && delta instanceof ObjectNode d && "text_delta".equals(d.path("type").asString(""))
                            ? d : null;
                }
                default -> null;
            };
        }

        private String deltaField() {
            return switch (surface) {
                case CHAT_COMPLETIONS -> "content";
                case RESPONSES -> "delta";
                default -> "text";
            };
        }

        /** Redacts complete texts repeated in closing Responses events. */
        private boolean redactWhole(ObjectNode node) {
            if (surface != Surface.RESPONSES || redactor == null && restorer == null) {
                return false;
            }
            List<TextPart> parts = new ArrayList<>();
            String type = node.path("type").asString("");
            switch (type) {
                case "response.output_text.done" -> whole(parts, node.get("text"), "/text");
                case "response.content_part.done" -> whole(parts, node.path("part").get("text"), "/part/text");
                case "response.output_item.done" -> TextParts.ofAnswer(Surface.RESPONSES,
                        wrapOutput(node.path("item"))).forEach(p -> parts.add(new TextPart("/item" + p.path()
                        .substring("/output/0".length()), p.kind(), p.text())));
                case "response.completed" -> TextParts.ofAnswer(Surface.RESPONSES, node.path("response"))
                        .forEach(p -> parts.add(new TextPart("/response" + p.path(), p.kind(), p.text())));
                default -> {
                    return false;
                }
            }
            if (parts.isEmpty()) {
                return false;
            }
            List<TextPart> redacted = new ArrayList<>();
            for (TextPart part : parts) {
                String text = part.text();
                if (redactor != null) {
                    text = policies.redactor().redact(text, vault).text();
                }
                if (restorer != null) {
                    text = vault.restore(text);
                }
                redacted.add(part.withText(text));
            }
            TextParts.writeBack(node, redacted);
            return true;
        }

        private JsonNode wrapOutput(JsonNode item) {
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.putArray("output").add(item);
            return wrapper;
        }

        private void whole(List<TextPart> parts, @Nullable JsonNode text, String at) {
            if (text != null && text.isString()) {
                parts.add(new TextPart(at, TextPart.Kind.MESSAGE, text.asString()));
            }
        }

        /** Each event read from the source gives at least one event here, so the source's answer holds too. */
        @Override
        public boolean nextIsBuffered() {
            return !pending.isEmpty() || events.nextIsBuffered();
        }

        @Override
        public void close() {
            events.close();
        }
    }
}
