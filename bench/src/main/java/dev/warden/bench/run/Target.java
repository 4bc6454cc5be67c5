package dev.warden.bench.run;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Something to send chat completions to: the upstream itself ({@code direct}) or a gateway in front of it.
 *
 * @param pid the process whose memory is reported (the gateway; for {@code direct}, the upstream)
 * @param metrics where Warden's {@code /actuator/prometheus} answers (its main port, also when measured on the API
 *     listener); null for targets that are not Warden
 */
public record Target(String name, InetSocketAddress address, String path, Map<String, String> headers, long pid,
                     InetSocketAddress metrics) {

    public Target(String name, InetSocketAddress address, String path, Map<String, String> headers, long pid) {
        this(name, address, path, headers, pid, null);
    }
}
