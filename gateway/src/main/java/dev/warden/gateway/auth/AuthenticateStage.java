package dev.warden.gateway.auth;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;

/** Stage 2: the caller's virtual key becomes the principal of the exchange, or the request ends with 401. */
public final class AuthenticateStage implements Stage {
    private final Authenticator authenticator;

    public AuthenticateStage(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        exchange.put(VirtualKey.ATTRIBUTE, authenticator.authenticate(exchange.inbound()));
        return chain.proceed(exchange);
    }
}
