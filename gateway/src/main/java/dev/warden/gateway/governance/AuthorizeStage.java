package dev.warden.gateway.governance;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.surface.CanonicalRequest;

/**
 * Stage 3: may this key use this model? Also refuses keys whose team or customer was deleted. Provider allow-lists
 * are applied by the router, which skips targets on providers the key may not use.
 */
public final class AuthorizeStage implements Stage {
    private final OrgRepository orgs;

    public AuthorizeStage(OrgRepository orgs) {
        this.orgs = orgs;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        VirtualKey key = exchange.get(VirtualKey.ATTRIBUTE);
        CanonicalRequest request = exchange.get(CanonicalRequest.ATTRIBUTE);
        if (!key.allowsModel(request.model())) {
            throw new GatewayException(ErrorKind.PERMISSION, "This key may not use model '" + request.model()
                    + "'", "model");
        }
        if (key.teamId() != null) {
            OrgRepository.Org team = orgs.team(key.teamId()).orElse(null);
            if (team == null || !team.active()) {
                throw new GatewayException(ErrorKind.PERMISSION, "This key's team has been deleted");
            }
            if (team.customerId() != null && orgs.customer(team.customerId()).map(c -> !c.active()).orElse(true)) {
                throw new GatewayException(ErrorKind.PERMISSION, "This key's customer has been deleted");
            }
        }
        return chain.proceed(exchange);
    }
}
