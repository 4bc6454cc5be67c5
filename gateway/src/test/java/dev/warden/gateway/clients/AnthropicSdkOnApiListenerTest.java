package dev.warden.gateway.clients;

/** The same client, unchanged, against the API listener's port ({@code warden.listener.port}). */
class AnthropicSdkOnApiListenerTest extends AnthropicSdkTest {
    @Override
    protected int clientPort() {
        return apiListener.port();
    }
}
