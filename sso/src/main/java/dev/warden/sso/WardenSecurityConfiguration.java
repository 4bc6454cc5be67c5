package dev.warden.sso;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults;

import dev.warden.sso.admintoken.AdminTokenVerifier;
import dev.warden.sso.audit.LoggingSecurityAuditSink;
import dev.warden.sso.audit.SecurityAuditSink;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.oidc.BearerJwtDecoders;
import dev.warden.sso.oidc.DiscoveringClientRegistrationRepository;
import dev.warden.sso.oidc.OidcPrincipalMapper;
import dev.warden.sso.oidc.WardenOidcUserService;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.RoleMapper;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.saml.AssertionReplayCache;
import dev.warden.sso.saml.IdentityProviderMetadata;
import dev.warden.sso.saml.IdentityProviderMetadataSource;
import dev.warden.sso.saml.InMemoryAssertionReplayCache;
import dev.warden.sso.saml.OutstandingRequests;
import dev.warden.sso.saml.SamlAuthenticationFilter;
import dev.warden.sso.saml.SamlAuthenticationProvider;
import dev.warden.sso.saml.SamlEndpointsFilter;
import dev.warden.sso.saml.SamlResponseValidator;
import dev.warden.sso.saml.SamlServiceProvider;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.AdminApiBearerAuthentication;
import dev.warden.sso.web.AdminApiUnauthorized;
import dev.warden.sso.web.AdminTokenSignInFilter;
import dev.warden.sso.web.ConsoleCsrfTokenRequestHandler;
import dev.warden.sso.web.CurrentPrincipalArgumentResolver;
import dev.warden.sso.web.LoginPageFilter;
import dev.warden.sso.web.PermissionDeniedHandler;
import dev.warden.sso.web.SignInThrottle;
import dev.warden.sso.web.SignInRefusedException;
import dev.warden.sso.web.WardenPrincipals;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.authentication.logout.SimpleUrlLogoutSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring Security for the admin API and console. Picked up automatically (it is a Boot auto-configuration) by any
 * application that has {@code warden-sso} on its class path; {@code @Import(WardenSecurityConfiguration.class)} works
 * too.
 *
 * <p>One filter chain, matching only {@link #SECURED_PATHS}. Every other path — {@code /v1/**}, {@code /openai/**},
 * {@code /anthropic/**}, {@code /actuator/**} — matches no chain at all, so Spring Security adds no filter, no CSRF
 * check, no session and no header there: the gateway authenticates LLM traffic itself with virtual keys.
 *
 * <p>Inside the chain:
 * <ul>
 *   <li>{@code /admin/**}: {@code Authorization: Bearer} with an OIDC JWT or the break-glass admin token
 *       ({@link AdminApiBearerAuthentication}), or a console session. Unauthenticated → 401, never a redirect.</li>
 *   <li>{@code /console/**}: a session from OIDC login (code + PKCE), SAML, or the admin token posted to
 *       {@code /login/token} ({@link AdminTokenSignInFilter}, unless {@code warden.sso.admin-token.console-sign-in=false});
 *       unauthenticated → redirect to {@code /login}. The same session works on {@code /admin/**}.</li>
 *   <li>CSRF on every state-changing request that is not a bearer request: cookie {@code XSRF-TOKEN}, sent back as
 *       header {@code X-XSRF-TOKEN} (or form field {@code _csrf}). The SAML ACS is exempt (see
 *       {@link SamlAuthenticationFilter}).</li>
 * </ul>
 * Permissions are not decided here but by {@link dev.warden.sso.rbac.PermissionMatrix}, through {@link AccessGuard},
 * once the controller has loaded the object and knows its team.
 */
@AutoConfiguration
@EnableWebSecurity
@EnableConfigurationProperties(WardenSsoProperties.class)
public class WardenSecurityConfiguration {

    /** The paths this module secures; nothing else is touched. */
    public static final List<String> SECURED_PATHS = List.of("/admin/**", "/console/**", "/login/**", "/oauth2/**",
            "/saml/**", "/logout");

    /** Order of the chain; it only matches {@link #SECURED_PATHS}, so a gateway chain for other paths does not clash. */
    public static final int FILTER_CHAIN_ORDER = 100;

    private static final Logger log = LoggerFactory.getLogger(WardenSecurityConfiguration.class);

    private final Clock clock = Clock.systemUTC();

    @Bean
    @ConditionalOnMissingBean
    public SecurityAuditSink wardenSecurityAuditSink() {
        return new LoggingSecurityAuditSink();
    }

    @Bean
    @ConditionalOnMissingBean
    public AssertionReplayCache wardenAssertionReplayCache() {
        return new InMemoryAssertionReplayCache(clock);
    }

    @Bean
    public RoleMapper wardenRoleMapper(WardenSsoProperties properties) {
        properties.validate();
        return new RoleMapper(properties.roleMappingList());
    }

    @Bean
    public AccessGuard wardenAccessGuard(SecurityAuditSink audit) {
        return new AccessGuard(audit, clock);
    }

    @Bean
    public PermissionDeniedHandler wardenPermissionDeniedHandler() {
        return new PermissionDeniedHandler();
    }

    @Bean
    public WebMvcConfigurer wardenCurrentPrincipalConfigurer() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CurrentPrincipalArgumentResolver());
            }
        };
    }

    /** Session cookie attributes and idle timeout, applied to the servlet container at startup. */
    @Bean
    public ServletContextInitializer wardenSessionCookieInitializer(WardenSsoProperties properties) {
        WardenSsoProperties.Session session = properties.session();
        return servletContext -> {
            SessionCookieConfig cookie = servletContext.getSessionCookieConfig();
            cookie.setName(session.cookieName());
            cookie.setHttpOnly(true);
            cookie.setSecure(session.cookieSecure());
            cookie.setPath("/");
            cookie.setAttribute("SameSite", capitalised(session.sameSite()));
            servletContext.setSessionTimeout((int) Math.max(1, (session.timeout().toSeconds() + 59) / 60));
        };
    }

    @Bean
    @Order(FILTER_CHAIN_ORDER)
    public SecurityFilterChain wardenSecurityFilterChain(HttpSecurity http, WardenSsoProperties properties,
            SecurityAuditSink audit, RoleMapper roleMapper, AssertionReplayCache replayCache,
            ObjectProvider<AdminTokenVerifier> adminTokenVerifiers) throws Exception {
        properties.validate();
        RequestMatcher adminPaths = withDefaults().matcher("/admin/**");
        RequestMatcher consolePaths = withDefaults().matcher("/console/**");
        http.securityMatcher(new OrRequestMatcher(SECURED_PATHS.stream()
                .map(p -> (RequestMatcher) withDefaults().matcher(p)).toList()));

        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers(withDefaults().matcher("/login"), withDefaults().matcher("/login/**"),
                        withDefaults().matcher("/oauth2/authorization/**"), withDefaults().matcher("/saml/metadata"),
                        withDefaults().matcher("/saml/login"), withDefaults().matcher(SamlAuthenticationFilter.ACS_PATH))
                .permitAll()
                .requestMatchers(adminPaths, consolePaths).authenticated()
                .anyRequest().denyAll());

        // Sessions: created only by a console login; the request cache remembers only console pages, so that a 401 on
        // the admin API does not create a session.
        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setRequestMatcher(new AndRequestMatcher(consolePaths, withDefaults().matcher(HttpMethod.GET, "/**")));
        http.requestCache(cache -> cache.requestCache(requestCache));
        // Session management stays at Spring's defaults on purpose: a new session id at login (fixation protection), and
        // no SessionManagementFilter, which would save a bearer request's context into a new session.

        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        String sameSite = capitalised(properties.session().sameSite());
        boolean secure = properties.session().cookieSecure();
        csrfTokens.setCookieCustomizer(cookie -> cookie.secure(secure).sameSite(sameSite).path("/"));
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).csrfTokenRequestHandler(new ConsoleCsrfTokenRequestHandler())
                .ignoringRequestMatchers(withDefaults().matcher(HttpMethod.POST, SamlAuthenticationFilter.ACS_PATH)));

        // Bearer tokens count on the admin API only; a bearer header on a console page is ignored.
        DefaultBearerTokenResolver headerOnly = new DefaultBearerTokenResolver();
        AuthenticationEntryPoint bearerEntryPoint = new AdminApiUnauthorized();
        AdminTokenVerifier adminToken = adminTokenVerifier(properties, adminTokenVerifiers);
        AdminApiBearerAuthentication bearer = new AdminApiBearerAuthentication(adminToken,
                properties.bearer().enabled() ? BearerJwtDecoders.create(properties.bearer()) : null,
                properties.bearer(), new OidcPrincipalMapper(roleMapper), audit, clock);
        http.oauth2ResourceServer(resourceServer -> resourceServer
                .bearerTokenResolver(request -> adminPaths.matches(request) ? headerOnly.resolve(request) : null)
                .authenticationManagerResolver(bearer)
                .authenticationEntryPoint(bearerEntryPoint));

        AuthenticationEntryPoint loginEntryPoint = new LoginUrlAuthenticationEntryPoint("/login");
        http.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint((request, response, e) ->
                (adminPaths.matches(request) ? bearerEntryPoint : loginEntryPoint).commence(request, response, e)));

        Map<String, String> oidcNames = new LinkedHashMap<>();
        DiscoveringClientRegistrationRepository registrations = null;
        if (!properties.oidc().isEmpty()) {
            registrations = new DiscoveringClientRegistrationRepository(properties.oidc(),
                    properties.baseUrl() == null ? null : properties.trimmedBaseUrl());
            DefaultOAuth2AuthorizationRequestResolver authorizationRequests =
                    new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
            // PKCE for every client, confidential ones included (OAuth 2.1, and Entra/Okta both support it).
            authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            DiscoveringClientRegistrationRepository repository = registrations;
            WardenOidcUserService users = new WardenOidcUserService(properties.oidc(), new OidcPrincipalMapper(roleMapper));
            http.oauth2Login(login -> login
                    .loginPage("/login")
                    .clientRegistrationRepository(repository)
                    .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(authorizationRequests))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(users))
                    .successHandler(loginSuccess(audit, requestCache))
                    .failureHandler(loginFailure(audit, AuthenticationMethod.OIDC_SESSION)));
            properties.oidc().forEach((id, provider) ->
                    oidcNames.put(id, provider.displayName() != null ? provider.displayName() : id));
        }

        WardenSsoProperties.Saml saml = properties.saml();
        if (saml.enabled()) {
            Supplier<IdentityProviderMetadata> idp = saml.idpMetadataFile() != null
                    ? IdentityProviderMetadataSource.fromFile(saml.idpMetadataFile(), clock)
                    : IdentityProviderMetadataSource.fromUrl(java.util.Objects.requireNonNull(saml.idpMetadataUrl()), clock);
            OutstandingRequests outstanding = new OutstandingRequests(clock);
            SamlResponseValidator validator = new SamlResponseValidator(properties.samlEntityId(),
                    properties.samlAcsUrl(), idp, saml.clockSkew(), saml.allowIdpInitiated(), outstanding, replayCache, clock);
            SamlAuthenticationFilter acs = new SamlAuthenticationFilter(
                    new ProviderManager(new SamlAuthenticationProvider(validator, roleMapper, saml)));
            acs.setSecurityContextRepository(new HttpSessionSecurityContextRepository());
            acs.setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
            acs.setAuthenticationSuccessHandler((request, response, authentication) -> {
                recordLogin(audit, request, authentication);
                response.sendRedirect(request.getContextPath() + SamlEndpointsFilter.safeTarget(request.getParameter("RelayState")));
            });
            acs.setAuthenticationFailureHandler(loginFailure(audit, AuthenticationMethod.SAML_SESSION));
            http.addFilterBefore(new SamlEndpointsFilter(new SamlServiceProvider(properties.samlEntityId(),
                    properties.samlAcsUrl(), idp, outstanding, clock)), UsernamePasswordAuthenticationFilter.class);
            http.addFilterBefore(acs, UsernamePasswordAuthenticationFilter.class);
        }

        // Installed even when off, to answer 404 itself; the CSRF filter runs before it, as for every form post.
        boolean adminTokenSignIn = adminToken != null && adminToken.configured()
                && properties.adminToken().consoleSignInActive();
        AdminTokenSignInFilter signIn = new AdminTokenSignInFilter(adminTokenSignIn ? adminToken : null,
                new SignInThrottle(AdminTokenSignInFilter.FAILED_ATTEMPTS, AdminTokenSignInFilter.ATTEMPT_WINDOW,
                        AdminTokenSignInFilter.TRACKED_ADDRESSES, clock), clock);
        signIn.setSecurityContextRepository(new HttpSessionSecurityContextRepository());
        // A new session id (fixation), and a new CSRF token, so that a token planted before sign-in is worthless after.
        CsrfAuthenticationStrategy newCsrfToken = new CsrfAuthenticationStrategy(csrfTokens);
        newCsrfToken.setRequestHandler(new ConsoleCsrfTokenRequestHandler());
        signIn.setSessionAuthenticationStrategy(new CompositeSessionAuthenticationStrategy(
                List.of(new ChangeSessionIdAuthenticationStrategy(), newCsrfToken)));
        signIn.setAuthenticationSuccessHandler(loginSuccess(audit, requestCache));
        signIn.setAuthenticationFailureHandler(loginFailure(audit, AuthenticationMethod.ADMIN_TOKEN_SESSION));
        http.addFilterBefore(signIn, UsernamePasswordAuthenticationFilter.class);
        if (adminTokenSignIn) {
            log.info("The admin token can open the console (POST {}); warden.sso.admin-token.console-sign-in=false"
                    + " turns this off", AdminTokenSignInFilter.PATH);
        }

        http.addFilterBefore(new LoginPageFilter(oidcNames, saml.enabled() ? saml.displayName() : null, adminTokenSignIn),
                DefaultLoginPageGeneratingFilter.class);

        LogoutHandler auditLogout = (request, response, authentication) -> {
            WardenPrincipal principal = WardenPrincipals.from(authentication);
            if (principal != null) {
                audit.record(new SecurityEvent.Logout(clock.instant(), principal, request.getRemoteAddr()));
            }
        };
        LogoutSuccessHandler logoutSuccess;
        if (registrations != null) {
            // OIDC sessions also end at the IdP (end_session_endpoint); SAML sessions end here only.
            OidcClientInitiatedLogoutSuccessHandler oidcLogout = new OidcClientInitiatedLogoutSuccessHandler(registrations);
            oidcLogout.setPostLogoutRedirectUri("{baseUrl}/login?logout");
            oidcLogout.setDefaultTargetUrl("/login?logout");
            logoutSuccess = oidcLogout;
        } else {
            SimpleUrlLogoutSuccessHandler local = new SimpleUrlLogoutSuccessHandler();
            local.setDefaultTargetUrl("/login?logout");
            logoutSuccess = local;
        }
        http.logout(logout -> logout
                .logoutRequestMatcher(withDefaults().matcher(HttpMethod.POST, "/logout"))
                .addLogoutHandler(auditLogout)
                .logoutSuccessHandler(logoutSuccess)
                .invalidateHttpSession(true)
                .clearAuthentication(true)
                .deleteCookies(properties.session().cookieName()));

        http.formLogin(form -> form.disable());
        http.httpBasic(basic -> basic.disable());
        return http.build();
    }

    private @Nullable AdminTokenVerifier adminTokenVerifier(WardenSsoProperties properties,
            ObjectProvider<AdminTokenVerifier> verifiers) {
        if (!properties.adminToken().enabled()) {
            log.info("Bootstrap admin token is disabled (warden.sso.admin-token.enabled=false)");
            return null;
        }
        AdminTokenVerifier bean = verifiers.getIfAvailable();
        if (bean != null) {
            return bean;
        }
        if (properties.adminToken().sha256() != null) {
            return AdminTokenVerifier.sha256Hex(properties.adminToken().sha256());
        }
        throw new IllegalStateException("warden.sso.admin-token.enabled=true but there is no AdminTokenVerifier bean and no"
                + " warden.sso.admin-token.sha256 (expected: one of them, or warden.sso.admin-token.enabled=false)");
    }

    private SavedRequestAwareAuthenticationSuccessHandler loginSuccess(SecurityAuditSink audit,
            HttpSessionRequestCache requestCache) {
        SavedRequestAwareAuthenticationSuccessHandler handler = new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                    Authentication authentication) throws jakarta.servlet.ServletException, IOException {
                recordLogin(audit, request, authentication);
                super.onAuthenticationSuccess(request, response, authentication);
            }
        };
        handler.setRequestCache(requestCache);
        handler.setDefaultTargetUrl("/console");
        return handler;
    }

    private void recordLogin(SecurityAuditSink audit, HttpServletRequest request, Authentication authentication) {
        WardenPrincipal principal = WardenPrincipals.from(authentication);
        if (principal != null) {
            audit.record(new SecurityEvent.Login(clock.instant(), principal, request.getRemoteAddr()));
        }
    }

    private AuthenticationFailureHandler loginFailure(SecurityAuditSink audit, AuthenticationMethod method) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
            SecurityEvent.LoginFailed event = e instanceof SignInRefusedException refused
                    ? new SecurityEvent.LoginFailed(clock.instant(), refused.method(), refused.subject(), refused.issuer(),
                            String.valueOf(refused.getMessage()), request.getRemoteAddr())
                    : new SecurityEvent.LoginFailed(clock.instant(), method, null, null, String.valueOf(e.getMessage()),
                            request.getRemoteAddr());
            audit.record(event);
            response.sendRedirect(request.getContextPath() + "/login?error");
        };
    }

    private static String capitalised(String sameSite) {
        String lower = sameSite.toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
