package dev.warden.sso.saml;

import static dev.warden.sso.saml.SamlXml.*;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What Warden trusts about a SAML IdP, read from its metadata: the entity ID it signs as, where to send the browser
 * (HTTP-Redirect binding), and the certificates whose keys may sign assertions. Certificates in a SAML message's own
 * KeyInfo are never trusted: only these.
 */
public record IdentityProviderMetadata(String entityId, String singleSignOnUrl, List<X509Certificate> signingCertificates) {

    public IdentityProviderMetadata {
        requireNonNull(entityId, "entityId");
        requireNonNull(singleSignOnUrl, "singleSignOnUrl");
        signingCertificates = List.copyOf(signingCertificates);
        if (signingCertificates.isEmpty()) {
            throw new IllegalArgumentException("IdP metadata for " + entityId + " has no signing certificate");
        }
    }

    /** Parses an {@code EntityDescriptor} (or an {@code EntitiesDescriptor} holding exactly one IdP). */
    public static IdentityProviderMetadata parse(byte[] xml) throws SamlValidationException {
        Document doc = SamlXml.parse(xml);
        Element root = doc.getDocumentElement();
        Element entity;
        if (is(root, METADATA_NS, "EntityDescriptor")) {
            entity = root;
        } else if (is(root, METADATA_NS, "EntitiesDescriptor")) {
            List<Element> idps = new ArrayList<>();
            for (Element e : descendants(doc, METADATA_NS, "EntityDescriptor")) {
                if (!children(e, METADATA_NS, "IDPSSODescriptor").isEmpty()) {
                    idps.add(e);
                }
            }
            if (idps.size() != 1) {
                throw new SamlValidationException("IdP metadata lists " + idps.size()
                        + " identity providers (expected: exactly one)");
            }
            entity = idps.get(0);
        } else {
            throw new SamlValidationException("IdP metadata root is " + root.getLocalName()
                    + " (expected: md:EntityDescriptor)");
        }
        String entityId = attribute(entity, "entityID");
        if (entityId == null || entityId.isBlank()) {
            throw new SamlValidationException("IdP metadata has no entityID");
        }
        Element idp = requiredChild(entity, METADATA_NS, "IDPSSODescriptor");
        String ssoUrl = null;
        for (Element sso : children(idp, METADATA_NS, "SingleSignOnService")) {
            if (HTTP_REDIRECT_BINDING.equals(attribute(sso, "Binding"))) {
                ssoUrl = attribute(sso, "Location");
                break;
            }
        }
        if (ssoUrl == null) {
            throw new SamlValidationException("IdP metadata has no SingleSignOnService with the HTTP-Redirect binding");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element keyDescriptor : children(idp, METADATA_NS, "KeyDescriptor")) {
            String use = attribute(keyDescriptor, "use");
            if (use != null && !use.equals("signing")) {
                continue;
            }
            for (Element keyInfo : children(keyDescriptor, DSIG_NS, "KeyInfo")) {
                for (Element x509Data : children(keyInfo, DSIG_NS, "X509Data")) {
                    for (Element cert : children(x509Data, DSIG_NS, "X509Certificate")) {
                        certificates.add(certificate(text(cert)));
                    }
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new SamlValidationException("IdP metadata of " + entityId + " has no signing X509Certificate");
        }
        return new IdentityProviderMetadata(entityId, ssoUrl, certificates);
    }

    private static X509Certificate certificate(String base64) throws SamlValidationException {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new SamlValidationException("IdP metadata has an unreadable X509Certificate: " + e.getMessage(), e);
        }
    }
}
