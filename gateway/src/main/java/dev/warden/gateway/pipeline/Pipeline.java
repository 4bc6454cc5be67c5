package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Runs an exchange through an ordered list of stages. The order is given by the caller as one list
 * (see {@code GatewayPipeline}); this class only enforces the chain's contract.
 */
public final class Pipeline {
    private final List<Stage> stages;

    public Pipeline(List<Stage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: empty (expected: at least one terminal stage)");
        }
        this.stages = List.copyOf(stages);
    }

    public List<Stage> stages() {
        return stages;
    }

    public Reply execute(Exchange exchange) {
        return new RealChain(0).proceed(requireNonNull(exchange, "exchange"));
    }

    private final class RealChain implements Stage.Chain {
        private final int index;
        private boolean called;

        RealChain(int index) {
            this.index = index;
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
            Reply reply = stage.handle(exchange, new RealChain(index + 1));
            if (reply == null) {
                throw new IllegalStateException("stage " + name(stage) + " returned null");
            }
            return reply;
        }
    }

    private static String name(Object stage) {
        return stage == null ? "<pipeline>" : stage.getClass().getSimpleName();
    }
}
