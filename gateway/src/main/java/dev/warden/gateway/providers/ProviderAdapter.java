package dev.warden.gateway.providers;

import dev.warden.gateway.pipeline.Reply;
import java.util.Set;

/**
 * Speaks one provider family's wire protocol. Adding a provider is one class implementing this interface,
 * registered as a Spring component; the router finds it by {@link #type()}.
 *
 * <p>Contract: {@link #send} either returns the answer in the caller's protocol (for streams, an event stream the
 * caller can drain) or throws {@link UpstreamException}; it records usage on the exchange when the provider reports
 * it; it never logs or returns the credential.
 */
public interface ProviderAdapter {
    /** The {@code type} used in configuration, e.g. {@code openai}. */
    String type();

    Set<Capability> capabilities();

    Reply send(UpstreamCall call) throws UpstreamException;
}
