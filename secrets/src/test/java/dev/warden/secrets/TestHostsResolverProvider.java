package dev.warden.secrets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * Resolves {@code *.azure.test} (vaults and the Entra login host) to 127.0.0.1 (registered in META-INF/services),
 * everything else as usual.
 *
 * <p>Why: the Key Vault client checks that the vault's host ends with the bearer challenge's resource host
 * ({@code <vault>.vault.azure.net} for {@code https://vault.azure.net}). A vault named by IP address could only pass
 * with that check disabled; with a real-looking host name the test keeps the SDK's check on, as in production.
 */
public final class TestHostsResolverProvider extends InetAddressResolverProvider {

    public static final String AZURE_TEST_DOMAIN = "vault.azure.test";
    public static final String ENTRA_TEST_HOST = "login.azure.test";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.endsWith("." + AZURE_TEST_DOMAIN) || host.equals(ENTRA_TEST_HOST)) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "warden-test-hosts";
    }
}
