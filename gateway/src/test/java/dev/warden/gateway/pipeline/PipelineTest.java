package dev.warden.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final Reply OK = new Reply.Json(200, "{}".getBytes(), Map.of());

    private static Exchange exchange() {
        return new Exchange(new Inbound(Surface.CHAT_COMPLETIONS, "/v1/chat/completions", Map.of(), new byte[0],
                "127.0.0.1", "req_1"), System.nanoTime());
    }

    @Test
    void runsStagesInListOrder() {
        List<String> order = new ArrayList<>();
        Pipeline pipeline = new Pipeline(List.of(
                (exchange, chain) -> { order.add("first"); return chain.proceed(exchange); },
                (exchange, chain) -> { order.add("second"); return chain.proceed(exchange); },
                (exchange, chain) -> { order.add("terminal"); return OK; }));

        assertThat(pipeline.execute(exchange())).isSameAs(OK);
        assertThat(order).containsExactly("first", "second", "terminal");
    }

    @Test
    void aStageMayShortCircuit() {
        List<String> order = new ArrayList<>();
        Pipeline pipeline = new Pipeline(List.of(
                (exchange, chain) -> { throw new GatewayException(ErrorKind.AUTHENTICATION, "no"); },
                (exchange, chain) -> { order.add("never"); return OK; }));

        assertThatThrownBy(() -> pipeline.execute(exchange())).isInstanceOf(GatewayException.class);
        assertThat(order).isEmpty();
    }

    @Test
    void proceedingTwiceNamesTheCulprit() {
        class Greedy implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                chain.proceed(exchange);
                return chain.proceed(exchange);
            }
        }
        Pipeline pipeline = new Pipeline(List.of(new Greedy(), (exchange, chain) -> OK));

        assertThatThrownBy(() -> pipeline.execute(exchange())).isInstanceOf(IllegalStateException.class)
                .hasMessage("stage Greedy called proceed() twice");
    }

    @Test
    void theLastStageMustNotProceed() {
        class Last implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                return chain.proceed(exchange);
            }
        }
        assertThatThrownBy(() -> new Pipeline(List.of(new Last())).execute(exchange()))
                .hasMessageContaining("stage Last is last");
    }

    @Test
    void aStageMustNotReturnNull() {
        class Careless implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                return null;
            }
        }
        assertThatThrownBy(() -> new Pipeline(List.of(new Careless())).execute(exchange()))
                .hasMessage("stage Careless returned null");
    }

    @Test
    void missingAttributesFailLoudly() {
        Attribute<String> missing = Attribute.of("thing", String.class);
        assertThatThrownBy(() -> exchange().get(missing)).hasMessageContaining("exchange has no 'thing'");
        assertThat(exchange().find(missing)).isNull();
    }
}
