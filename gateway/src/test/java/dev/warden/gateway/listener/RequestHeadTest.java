package dev.warden.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestHeadTest {

    private static RequestHead parse(String head) throws RequestHead.Malformed {
        byte[] bytes = ("xx" + head).getBytes(StandardCharsets.ISO_8859_1); // parsed in place, from an offset
        return RequestHead.parse(bytes, 2, bytes.length);
    }

    @Test
    void namesAreLowerCasedAndRepeatedFieldsKeepTheirOrder() throws Exception {
        RequestHead head = parse("POST /v1/chat/completions?x=1 HTTP/1.1\r\nHOST: gw\r\nAccept: a\r\n"
                + "accept: b\r\nX-Empty:\r\n\r\n");

        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.path()).isEqualTo("/v1/chat/completions");
        assertThat(head.http11()).isTrue();
        assertThat(head.headers()).containsEntry("host", List.of("gw")).containsEntry("accept", List.of("a", "b"))
                .containsEntry("x-empty", List.of(""));
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreAccepted() throws Exception {
        RequestHead head = parse("\r\n\nGET /v1/models HTTP/1.0\nAuthorization: Bearer k\n\n");

        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.http11()).isFalse();
        assertThat(head.wantsClose()).isTrue();
        assertThat(head.headers().get("authorization")).containsExactly("Bearer k");
    }

    @Test
    void keepAliveAndCloseFollowTheVersionAndTheConnectionField() throws Exception {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n").wantsClose()).isFalse();
        assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n").wantsClose()).isTrue();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").wantsClose()).isFalse();
    }

    @Test
    void framingIsDecidedOnceAndStrictly() throws Exception {
        assertThat(parse("POST / HTTP/1.1\r\nHost: a\r\n\r\n").framing()).isZero();
        assertThat(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nContent-Length: 12\r\n\r\n")
                .framing()).isEqualTo(12);
        assertThat(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n").framing())
                .isEqualTo(-1);
        assertThatThrownBy(() -> parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n").framing())
                .isInstanceOfSatisfying(RequestHead.Malformed.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
                .framing()).isInstanceOfSatisfying(RequestHead.Malformed.class,
                        e -> assertThat(e.status()).isEqualTo(501));
        assertThatThrownBy(() -> parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").framing())
                .isInstanceOfSatisfying(RequestHead.Malformed.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void controlCharactersAndBadNamesAreRefused() {
        for (String bad : List.of("GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
                "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n",
                "GET  HTTP/1.1\r\nHost: a\r\n\r\n", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(RequestHead.Malformed.class);
        }
    }
}
