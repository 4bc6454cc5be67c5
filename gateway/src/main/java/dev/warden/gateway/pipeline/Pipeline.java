package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs an exchange through an ordered list of stages. The order is given by the caller as one list
 * (see {@code GatewayPipeline}); this class only enforces the chain's contract, and lets an {@link Observer} watch
 * the request and its stages go by (traces, error counts) without the stages knowing.
 */
public final class Pipeline {
    private final List<Stage> stages;
    private final Observer observer;

    public Pipeline(List<Stage> stages) {
        this(stages, Observer.NONE);
    }

    public Pipeline(List<Stage> stages, Observer observer) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: empty (expected: at least one terminal stage)");
        }
        this.stages = List.copyOf(stages);
        this.observer = requireNonNull(observer, "observer");
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The same stages, in the same order, watched by {@code observer}. */
    public Pipeline observedBy(Observer observer) {
        return new Pipeline(stages, observer);
    }

    public Reply execute(Exchange exchange) {
        requireNonNull(exchange, "exchange");
        Observation observation = requireNonNull(observer.begin(exchange),
                () -> "observer " + name(observer) + " began no observation");
        Reply reply = observation.run(() -> new RealChain(0, observation).proceed(exchange));
        if (reply == null) {
            throw new IllegalStateException("observer " + name(observer) + " returned null");
        }
        return reply;
    }

    /**
     * Watches requests go through the pipeline. It never changes what a stage does: it may only wrap a streamed
     * reply's events to see them pass and end.
     */
    public interface Observer {
        /** Watches nothing: stages run as if there were no observer. */
        Observer NONE = exchange -> Observation.NONE;

        /** Called once per request, before the first stage. */
        Observation begin(Exchange exchange);
    }

    /** The watch over one request. */
    public interface Observation {
        Observation NONE = new Observation() {
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
                return handle.get();
            }
        };

        /**
         * Runs the whole pipeline: calls {@code pipeline.get()} exactly once and returns its reply (a stream possibly
         * wrapped), or lets its exception through unchanged.
         */
        Reply run(Supplier<Reply> pipeline);

        /**
         * Whether {@link #stage} is called for each stage of this request. When false, stages are called directly,
         * so a request nobody traces pays nothing per stage.
         */
        boolean watchesStages();

        /** Runs one stage: calls {@code handle.get()} exactly once, as {@link #run} does for the whole pipeline. */
        Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle);
    }

    private final class RealChain implements Stage.Chain {
        private final int index;
        private final Observation observation;
        private boolean called;

        RealChain(int index, Observation observation) {
            this.index = index;
            this.observation = observation;
        }

        @Override
        public Reply proceed(Exchange exchange) {
            Stage caller = index == 0 ? null : stages.get(index - 1);
            if (called) {
                throw new IllegalStateException("stage " + name(caller) + " called proceed() twice");
            }
            called = true;
            if (index >= stages.size()) {
                throw new IllegalStateException("stage " + name(caller) + " is last and must not call proceed()");
            }
            Stage stage = stages.get(index);
            RealChain next = new RealChain(index + 1, observation);
            if (!observation.watchesStages()) {
                return handle(stage, exchange, next);
            }
            Reply reply = observation.stage(stage, exchange, () -> handle(stage, exchange, next));
            if (reply == null) {
                throw new IllegalStateException("observer " + name(observer) + " returned null for stage " + name(stage));
            }
            return reply;
        }
    }

    private static Reply handle(Stage stage, Exchange exchange, Stage.Chain next) {
        Reply reply = stage.handle(exchange, next);
        if (reply == null) {
            throw new IllegalStateException("stage " + name(stage) + " returned null");
        }
        return reply;
    }

    /** The name a stage goes by in errors and traces: its class's simple name (lambdas get their class name). */
    public static String name(@Nullable Object stage) {
        if (stage == null) {
            return "<pipeline>";
        }
        String simple = stage.getClass().getSimpleName();
        return simple.isEmpty() ? stage.getClass().getName() : simple;
    }
}
