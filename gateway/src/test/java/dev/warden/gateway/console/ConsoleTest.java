package dev.warden.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console as a browser meets it, without a browser: the session gate, OIDC sign-in against a real OIDC server,
 * the entry page under its Content-Security-Policy, every module the page loads (found by following the imports)
 * with a JavaScript content type, and the page's and scripts' freedom from inline code and HTML injection sinks.
 */
class ConsoleTest extends ConsoleTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s[^;]*?from\\s+'([^']+)'|^\\s*import\\s+'([^']+)'");

    @ParameterizedTest
    @ValueSource(strings = {"/console", "/console/", "/console/index.html", "/console/js/app.js", "/console/console.css"})
    void withoutASessionEveryConsolePathRedirectsToTheSignInPage(String path) {
        HttpResponse<String> response = send(anonymous(), get(path));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(URI.create(response.headers().firstValue("location").orElseThrow()).getPath()).isEqualTo("/login");
    }

    @Test
    void theAdminApiAnswers401NotARedirectWithoutASession() {
        assertThat(send(anonymous(), get("/admin/api/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void anAdminSignsInThroughTheIdpAndGetsTheConsoleUnderAStrictCsp() {
        Browser browser = new Browser();
        List<String> trail = browser.signIn("ada");

        assertThat(trail).as("redirect trail").first().isEqualTo("/console");
        assertThat(trail).contains("/login", "/oauth2/authorization/" + REGISTRATION, "/" + REGISTRATION + "/authorize",
                "/login/oauth2/code/" + REGISTRATION);
        assertThat(trail).last().isEqualTo("/console/");
        HttpResponse<String> page = browser.last;
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy")).contains(ConsoleSecurityHeaders.POLICY);
        assertThat(page.headers().firstValue("cache-control").orElseThrow()).contains("no-store");
        assertThat(page.body()).contains("<main id=\"main\"").contains("js/app.js");
        // The console's script reads the CSRF token from this cookie, so it must exist and be readable by scripts.
        HttpCookie xsrf = browser.cookie("XSRF-TOKEN");
        assertThat(xsrf).as("XSRF-TOKEN cookie after loading the console").isNotNull();
        assertThat(xsrf.isHttpOnly()).isFalse();

        JsonNode me = JSON.readTree(send(browser.client, get("/admin/api/me")).body());
        assertThat(me.get("subject").asString()).isEqualTo("ada");
        assertThat(me.get("name").asString()).isEqualTo(ADMIN_NAME);
        assertThat(me.get("method").asString()).isEqualTo("oidc_session");
        assertThat(me.get("permissions").valueStream().map(JsonNode::asString))
                .contains("keys:write", "usage:read", "audit:read", "reports:read", "erasure:write");
    }

    @Test
    void theAdminTokenSignsIntoTheConsoleWhereThereIsNoIdp() {
        Browser browser = new Browser();
        HttpResponse<String> login = send(browser.client, get("/login"));
        assertThat(login.body()).contains("id=\"admin-token\"");
        String csrf = login.body().replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");

        HttpResponse<String> wrong = send(browser.client, form("/login/token", "token=not-the-token&_csrf="
                + URLEncoder.encode(csrf, StandardCharsets.UTF_8)));
        assertThat(wrong.headers().firstValue("location").orElseThrow()).endsWith("/login?error");
        HttpResponse<String> signedIn = send(browser.client, form("/login/token", "token=" + ADMIN_TOKEN + "&_csrf="
                + URLEncoder.encode(csrf, StandardCharsets.UTF_8)));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("location").orElseThrow()).endsWith("/console");

        assertThat(send(browser.client, get("/console/")).statusCode()).isEqualTo(200);
        JsonNode me = JSON.readTree(send(browser.client, get("/admin/api/me")).body());
        assertThat(me.get("subject").asString()).isEqualTo("admin-token");
        assertThat(me.get("method").asString()).isEqualTo("admin_token_session");
    }

    private HttpRequest form(String path, String body) {
        return HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void everyModuleThePageLoadsIsServedAsJavaScriptWithTheCsp() {
        Browser browser = new Browser();
        browser.signIn("grace");
        String index = browser.last.body();
        List<String> entries = HtmlTags.parse(index).stream().filter(t -> t.name().equals("script"))
                .map(t -> t.attributes().get("src")).toList();
        assertThat(entries).containsExactly("js/app.js");

        Set<String> seen = new LinkedHashSet<>();
        Deque<URI> pending = new ArrayDeque<>(List.of(url("/console/").resolve("js/app.js")));
        while (!pending.isEmpty()) {
            URI module = pending.pop();
            if (!seen.add(module.getPath())) {
                continue;
            }
            HttpResponse<String> response = send(browser.client, HttpRequest.newBuilder(module).build());
            assertThat(response.statusCode()).as(module.getPath()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type").orElseThrow()).as(module.getPath())
                    .matches("(text|application)/javascript.*");
            assertThat(response.headers().firstValue("content-security-policy")).as(module.getPath())
                    .contains(ConsoleSecurityHeaders.POLICY);
            Matcher imports = IMPORT.matcher(response.body());
            while (imports.find()) {
                String target = imports.group(1) != null ? imports.group(1) : imports.group(2);
                assertThat(target).as("imports in " + module.getPath() + " are relative").startsWith(".");
                pending.add(module.resolve(target));
            }
        }
        assertThat(seen).contains("/console/js/app.js", "/console/js/api.js", "/console/js/dom.js",
                "/console/js/chart.js", "/console/js/pages/keys.js", "/console/js/pages/usage.js",
                "/console/js/pages/audit.js", "/console/js/pages/reports.js", "/console/js/pages/erasure.js",
                "/console/js/pages/overview.js", "/console/js/pages/orgs.js");

        HttpResponse<String> css = send(browser.client, get("/console/console.css"));
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("content-type").orElseThrow()).startsWith("text/css");
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandler() throws IOException {
        assertThat(inlineCode(resource("index.html"))).isEmpty();
    }

    @Test
    void theInlineCodeCheckFindsEachKindOfInlineCode() {
        String bad = """
                <!DOCTYPE html><html><head><style>body{}</style><script>alert(1)</script>
                <script type="module" src="ok.js"></script></head>
                <body onload='go()'><a href="javascript:void(0)">x</a><p style="color:red">y</p>
                <button type=button onclick=go()>z</button><!-- <script>ignored()</script> --></body></html>
                """;

        assertThat(inlineCode(bad)).containsExactlyInAnyOrder("<style> element", "inline <script>",
                "body onload", "a href=javascript:", "p style", "button onclick");
    }

    @Test
    void scriptsUseNoHtmlInjectionSinks() throws IOException {
        Pattern sinks = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function"
                + "|setAttribute\\('style'|createContextualFragment");
        List<String> found = new ArrayList<>();
        for (String file : List.of("js/app.js", "js/api.js", "js/dom.js", "js/chart.js", "js/pages/common.js",
                "js/pages/keys.js", "js/pages/orgs.js", "js/pages/usage.js", "js/pages/audit.js", "js/pages/overview.js",
                "js/pages/reports.js", "js/pages/erasure.js")) {
            Matcher matcher = sinks.matcher(resource(file));
            while (matcher.find()) {
                found.add(file + ": " + matcher.group());
            }
        }
        assertThat(found).isEmpty();
    }

    /** What in a page would need 'unsafe-inline' (or break under the CSP): one description per finding. */
    static List<String> inlineCode(String html) {
        List<String> found = new ArrayList<>();
        for (HtmlTags.Tag tag : HtmlTags.parse(html)) {
            if (tag.name().equals("style")) {
                found.add("<style> element");
            }
            if (tag.name().equals("script") && (!tag.attributes().containsKey("src") || !tag.rawText().isBlank())) {
                found.add("inline <script>");
            }
            tag.attributes().forEach((name, value) -> {
                if (name.equals("style")) {
                    found.add(tag.name() + " style");
                } else if (name.startsWith("on")) {
                    found.add(tag.name() + " " + name);
                } else if (value.strip().toLowerCase(java.util.Locale.ROOT).startsWith("javascript:")) {
                    found.add(tag.name() + " " + name + "=javascript:");
                }
            });
        }
        return found;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsoleTest.class.getResourceAsStream("/static/console/" + path)) {
            assertThat(in).as("classpath:/static/console/" + path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30)).build();
    }

    private static HttpClient anonymous() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Cookies and redirects the way a browser handles them, one hop at a time so the trail can be checked. */
    private final class Browser {
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> last;

        /** Opens /console and follows the sign-in through the IdP's login form; returns the paths visited. */
        List<String> signIn(String user) {
            List<String> trail = new ArrayList<>();
            URI at = url("/console");
            HttpRequest request = HttpRequest.newBuilder(at).build();
            for (int hop = 0; hop < 15; hop++) {
                trail.add(at.getPath());
                last = send(client, request);
                if (last.statusCode() / 100 == 3) {
                    at = at.resolve(last.headers().firstValue("location").orElseThrow());
                    request = HttpRequest.newBuilder(at).build();
                } else if (last.statusCode() == 200 && at.getPath().equals("/login")) {
                    // Gateway sign-in page: follow the link of the configured IdP.
                    assertThat(last.body()).contains(DISPLAY_NAME);
                    at = at.resolve("/oauth2/authorization/" + REGISTRATION);
                    request = HttpRequest.newBuilder(at).build();
                } else if (last.statusCode() == 200 && at.getPath().endsWith("/authorize")) {
                    // The IdP's login form posts back to its own URL, query included.
                    assertThat(last.body()).contains("name=\"username\"");
                    request = HttpRequest.newBuilder(at).header("content-type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user,
                                    StandardCharsets.UTF_8) + "&claims=")).build();
                } else {
                    return trail;
                }
            }
            throw new AssertionError("sign-in did not settle within 15 hops: " + trail);
        }

        HttpCookie cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
                    .orElse(null);
        }
    }
}
