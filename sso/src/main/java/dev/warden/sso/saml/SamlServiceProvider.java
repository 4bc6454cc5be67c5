package dev.warden.sso.saml;

import static dev.warden.sso.saml.SamlXml.escape;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.jspecify.annotations.Nullable;

/** Warden as a SAML service provider: its metadata, and the AuthnRequest that starts a login. */
public final class SamlServiceProvider {

    private final String entityId;
    private final String acsUrl;
    private final Supplier<IdentityProviderMetadata> idp;
    private final OutstandingRequests outstandingRequests;
    private final Clock clock;

    public SamlServiceProvider(String entityId, String acsUrl, Supplier<IdentityProviderMetadata> idp,
            OutstandingRequests outstandingRequests, Clock clock) {
        this.entityId = requireNonNull(entityId, "entityId");
        this.acsUrl = requireNonNull(acsUrl, "acsUrl");
        this.idp = requireNonNull(idp, "idp");
        this.outstandingRequests = requireNonNull(outstandingRequests, "outstandingRequests");
        this.clock = requireNonNull(clock, "clock");
    }

    public String entityId() {
        return entityId;
    }

    public String acsUrl() {
        return acsUrl;
    }

    /** SP metadata to upload to the IdP: entity ID, ACS (HTTP-POST), and that assertions must be signed. */
    public String metadataXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
                  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
                    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s" index="0" isDefault="true"/>
                  </md:SPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(escape(entityId), escape(acsUrl));
    }

    /**
     * The IdP URL to redirect the browser to (HTTP-Redirect binding), with a fresh AuthnRequest whose ID is remembered
     * for the InResponseTo check.
     *
     * @param relayState where to go after login; checked again when it comes back, since the IdP echoes it unsigned
     */
    public String authenticationRequestUrl(@Nullable String relayState) {
        IdentityProviderMetadata metadata = idp.get();
        String id = outstandingRequests.issue();
        String request = """
                <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
                ID="%s" Version="2.0" IssueInstant="%s" Destination="%s" AssertionConsumerServiceURL="%s" \
                ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">\
                <saml:Issuer>%s</saml:Issuer>\
                <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/>\
                </samlp:AuthnRequest>""".formatted(id, clock.instant().truncatedTo(ChronoUnit.SECONDS),
                escape(metadata.singleSignOnUrl()), escape(acsUrl), escape(entityId));
        StringBuilder url = new StringBuilder(metadata.singleSignOnUrl());
        url.append(metadata.singleSignOnUrl().contains("?") ? '&' : '?');
        url.append("SAMLRequest=").append(URLEncoder.encode(deflateBase64(request), StandardCharsets.UTF_8));
        if (relayState != null) {
            url.append("&RelayState=").append(URLEncoder.encode(relayState, StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    /** Raw DEFLATE (no zlib header) then base64, as the HTTP-Redirect binding requires. */
    private static String deflateBase64(String xml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFLATED, true);
        try (DeflaterOutputStream deflating = new DeflaterOutputStream(out, deflater)) {
            deflating.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("in-memory deflate failed", e);
        } finally {
            deflater.end();
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
