package dev.warden.sso.testapp;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A SAML identity provider for tests: its own RSA key and self-signed certificate, metadata, and responses signed
 * exactly as Okta and Entra sign them (enveloped, exclusive c14n, RSA-SHA256), with knobs to make them wrong.
 */
public final class TestSamlIdp {

    public static final String ENTITY_ID = "https://idp.test.example/saml";
    public static final String SSO_URL = "https://idp.test.example/sso";
    public static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    public static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    public static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    static {
        Init.init();
    }

    public final KeyPair keyPair;
    public final X509Certificate certificate;

    public TestSamlIdp() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=warden-test-idp");
            Instant now = Instant.now();
            certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), name, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String metadataXml() {
        try {
            String cert = Base64.getEncoder().encodeToString(certificate.getEncoded());
            return """
                    <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
                      <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
                        <md:KeyDescriptor use="signing">
                          <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
                        </md:KeyDescriptor>
                        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s"/>
                        <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
                      </md:IDPSSODescriptor>
                    </md:EntityDescriptor>
                    """.formatted(ENTITY_ID, cert, SSO_URL, SSO_URL);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What goes into a response; {@link #defaults} is a valid one. */
    public record Spec(String issuer, String audience, String recipient, @Nullable String destination,
            @Nullable String inResponseTo, Instant issuedAt, Duration lifetime, String nameId, List<String> groups,
            String assertionId) {

        public static Spec defaults(String audience, String acsUrl, @Nullable String inResponseTo) {
            return new Spec(ENTITY_ID, audience, acsUrl, acsUrl, inResponseTo, Instant.now(), Duration.ofMinutes(5),
                    "alice@example.com", List.of("warden-admins"), "_a" + UUID.randomUUID().toString().replace("-", ""));
        }

        public Spec withAudience(String value) {
            return new Spec(issuer, value, recipient, destination, inResponseTo, issuedAt, lifetime, nameId, groups, assertionId);
        }

        public Spec withRecipient(String value) {
            return new Spec(issuer, audience, value, destination, inResponseTo, issuedAt, lifetime, nameId, groups, assertionId);
        }

        public Spec withDestination(String value) {
            return new Spec(issuer, audience, recipient, value, inResponseTo, issuedAt, lifetime, nameId, groups, assertionId);
        }

        public Spec withInResponseTo(@Nullable String value) {
            return new Spec(issuer, audience, recipient, destination, value, issuedAt, lifetime, nameId, groups, assertionId);
        }

        public Spec withIssuedAt(Instant value) {
            return new Spec(issuer, audience, recipient, destination, inResponseTo, value, lifetime, nameId, groups, assertionId);
        }

        public Spec withIssuer(String value) {
            return new Spec(value, audience, recipient, destination, inResponseTo, issuedAt, lifetime, nameId, groups, assertionId);
        }

        public Spec withNameId(String value) {
            return new Spec(issuer, audience, recipient, destination, inResponseTo, issuedAt, lifetime, value, groups, assertionId);
        }

        public Spec withGroups(List<String> value) {
            return new Spec(issuer, audience, recipient, destination, inResponseTo, issuedAt, lifetime, nameId, value, assertionId);
        }

        public Spec withAssertionId(String value) {
            return new Spec(issuer, audience, recipient, destination, inResponseTo, issuedAt, lifetime, nameId, groups, value);
        }
    }

    /** An unsigned response document built from {@code spec}. */
    public Document unsignedResponse(Spec spec) {
        Instant issued = spec.issuedAt().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = issued.plus(spec.lifetime());
        String irt = spec.inResponseTo() == null ? "" : " InResponseTo=\"" + spec.inResponseTo() + "\"";
        String destination = spec.destination() == null ? "" : " Destination=\"" + spec.destination() + "\"";
        StringBuilder groups = new StringBuilder();
        for (String group : spec.groups()) {
            groups.append("<saml:AttributeValue>").append(group).append("</saml:AttributeValue>");
        }
        String xml = """
                <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
                ID="_r%s" Version="2.0" IssueInstant="%s"%s%s>\
                <saml:Issuer>%s</saml:Issuer>\
                <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\
                <saml:Assertion ID="%s" Version="2.0" IssueInstant="%s">\
                <saml:Issuer>%s</saml:Issuer>\
                <saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s</saml:NameID>\
                <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">\
                <saml:SubjectConfirmationData NotOnOrAfter="%s" Recipient="%s"%s/></saml:SubjectConfirmation></saml:Subject>\
                <saml:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml:AudienceRestriction><saml:Audience>%s</saml:Audience></saml:AudienceRestriction></saml:Conditions>\
                <saml:AuthnStatement AuthnInstant="%s" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>\
                <saml:AttributeStatement>\
                <saml:Attribute Name="groups">%s</saml:Attribute>\
                <saml:Attribute Name="displayName"><saml:AttributeValue>Alice Example</saml:AttributeValue></saml:Attribute>\
                <saml:Attribute Name="email"><saml:AttributeValue>%s</saml:AttributeValue></saml:Attribute>\
                </saml:AttributeStatement>\
                </saml:Assertion></samlp:Response>""".formatted(UUID.randomUUID().toString().replace("-", ""), issued,
                destination, irt, spec.issuer(), spec.assertionId(), issued, spec.issuer(), spec.nameId(), expires,
                spec.recipient(), irt, issued.minusSeconds(5), expires, spec.audience(), issued, groups, spec.nameId());
        return parse(xml);
    }

    /** A valid response: assertion signed by this IdP's key. */
    public Document signedResponse(Spec spec) {
        Document doc = unsignedResponse(spec);
        signAssertion(doc, keyPair);
        return doc;
    }

    public static Element assertion(Document doc) {
        return (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion").item(0);
    }

    public void signAssertion(Document doc, KeyPair key) {
        sign(assertion(doc), key, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256);
    }

    public void signResponse(Document doc, KeyPair key) {
        sign(doc.getDocumentElement(), key, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256);
    }

    /** Enveloped signature placed right after the element's Issuer, as the schema requires. */
    public void sign(Element element, KeyPair key, String algorithm) {
        try {
            Document doc = element.getOwnerDocument();
            element.setIdAttributeNS(null, "ID", true);
            XMLSignature signature = new XMLSignature(doc, "", algorithm, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            Node issuer = element.getElementsByTagNameNS(ASSERTION_NS, "Issuer").item(0);
            element.insertBefore(signature.getElement(), issuer.getNextSibling());
            Transforms transforms = new Transforms(doc);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            String digest = algorithm.endsWith("rsa-sha1") ? "http://www.w3.org/2000/09/xmldsig#sha1"
                    : "http://www.w3.org/2001/04/xmlenc#sha256";
            signature.addDocument("#" + element.getAttribute("ID"), transforms, digest);
            signature.addKeyInfo(certificate);
            signature.sign(key.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String serialize(Document doc) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransformerFactory.newDefaultInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return out.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code SAMLResponse} form value. */
    public static String encode(Document doc) {
        return Base64.getEncoder().encodeToString(serialize(doc).getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }
}
