package dev.warden.gateway.pipeline;

/**
 * One step of the request pipeline. A stage may short-circuit by not calling {@code chain.proceed}; it calls it at
 * most once; it never returns null. Post-processing of a streamed answer is done by wrapping the reply's event
 * stream, so it happens chunk by chunk as the client reads.
 */
public interface Stage {
    Reply handle(Exchange exchange, Chain chain);

    /** The rest of the pipeline after the current stage. */
    interface Chain {
        Reply proceed(Exchange exchange);
    }
}
