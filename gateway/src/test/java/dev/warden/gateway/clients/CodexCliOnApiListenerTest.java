package dev.warden.gateway.clients;

/** The same client, unchanged, against the API listener's port ({@code warden.listener.port}). */
class CodexCliOnApiListenerTest extends CodexCliTest {
    @Override
    protected int clientPort() {
        return apiListener.port();
    }
}
