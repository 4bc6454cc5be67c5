package dev.warden.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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

    @Test
    void anObserverSeesEachStageNestedAsTheChainNests() {
        List<String> seen = new ArrayList<>();
        Pipeline.Observer observer = exchange -> new Pipeline.Observation() {
            @Override
            public Reply run(Supplier<Reply> pipeline) {
                seen.add("request");
                Reply reply = pipeline.get();
                seen.add("/request");
                return reply;
            }

            @Override
            public boolean watchesStages() {
                return true;
            }

            @Override
            public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
                String name = Pipeline.name(stage);
                seen.add(name);
                Reply reply = handle.get();
                seen.add("/" + name);
                return reply;
            }
        };
        class Outer implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                return chain.proceed(exchange);
            }
        }
        class Terminal implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                return OK;
            }
        }
        Pipeline pipeline = new Pipeline(List.of(new Outer(), new Terminal())).observedBy(observer);

        assertThat(pipeline.execute(exchange())).isSameAs(OK);
        assertThat(seen).containsExactly("request", "Outer", "Terminal", "/Terminal", "/Outer", "/request");
    }

    @Test
    void stagesRunDirectlyWhenTheObservationWatchesNoStages() {
        List<String> order = new ArrayList<>();
        Pipeline.Observer requestsOnly = exchange -> new Pipeline.Observation() {
            @Override
            public Reply run(Supplier<Reply> pipeline) {
                return pipeline.get();
            }

            @Override
            public boolean watchesStages() {
                return false;
            }

            @Override
            public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
                throw new AssertionError("asked about stage " + Pipeline.name(stage));
            }
        };
        Pipeline pipeline = new Pipeline(List.of(
                (exchange, chain) -> { order.add("first"); return chain.proceed(exchange); },
                (exchange, chain) -> { order.add("terminal"); return OK; }), requestsOnly);

        assertThat(pipeline.execute(exchange())).isSameAs(OK);
        assertThat(order).containsExactly("first", "terminal");
    }

    @Test
    void theChainStillChecksItsContractUnderAnObserver() {
        class Careless implements Stage {
            @Override
            public Reply handle(Exchange exchange, Chain chain) {
                return null;
            }
        }
        Pipeline.Observer passThrough = exchange -> new Pipeline.Observation() {
            @Override
            public Reply run(Supplier<Reply> pipeline) {
                return pipeline.get();
            }

            @Override
            public boolean watchesStages() {
                return true;
            }

            @Override
            public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
                return handle.get();
            }
        };
        assertThatThrownBy(() -> new Pipeline(List.of(new Careless()), passThrough).execute(exchange()))
                .hasMessage("stage Careless returned null");
    }

    @Test
    void anObserverThatLosesTheReplyIsNamed() {
        class Forgetful implements Pipeline.Observer {
            @Override
            public Pipeline.Observation begin(Exchange exchange) {
                return new Pipeline.Observation() {
                    @Override
                    public Reply run(Supplier<Reply> pipeline) {
                        pipeline.get();
                        return null;
                    }

                    @Override
                    public boolean watchesStages() {
                        return false;
                    }

                    @Override
                    public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
                        return handle.get();
                    }
                };
            }
        }
        assertThatThrownBy(() -> new Pipeline(List.of((exchange, chain) -> OK), new Forgetful()).execute(exchange()))
                .hasMessage("observer Forgetful returned null");
    }
}
