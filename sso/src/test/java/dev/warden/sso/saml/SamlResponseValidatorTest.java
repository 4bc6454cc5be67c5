package dev.warden.sso.saml;

import static dev.warden.sso.testapp.TestSamlIdp.ASSERTION_NS;
import static dev.warden.sso.testapp.TestSamlIdp.DSIG_NS;
import static dev.warden.sso.testapp.TestSamlIdp.PROTOCOL_NS;
import static dev.warden.sso.testapp.TestSamlIdp.assertion;
import static dev.warden.sso.testapp.TestSamlIdp.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.sso.testapp.TestSamlIdp;
import dev.warden.sso.testapp.TestSamlIdp.Spec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class SamlResponseValidatorTest {

    static final String SP = "https://warden.example.com/saml/metadata";
    static final String ACS = "https://warden.example.com/saml/acs";
    static final TestSamlIdp IDP = new TestSamlIdp();

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    OutstandingRequests outstanding;
    SamlResponseValidator validator;
    String requestId;

    @BeforeEach
    void setUp() throws Exception {
        outstanding = new OutstandingRequests(clock);
        IdentityProviderMetadata metadata = IdentityProviderMetadata.parse(IDP.metadataXml().getBytes(StandardCharsets.UTF_8));
        validator = new SamlResponseValidator(SP, ACS, () -> metadata, Duration.ofSeconds(60), false, outstanding,
                new InMemoryAssertionReplayCache(clock), clock);
        requestId = outstanding.issue();
    }

    Spec spec() {
        return Spec.defaults(SP, ACS, requestId).withIssuedAt(now);
    }

    @Test
    void acceptsAValidSignedResponse() throws Exception {
        SamlAssertion assertion = validator.validate(encode(IDP.signedResponse(spec())));

        assertThat(assertion.nameId()).isEqualTo("alice@example.com");
        assertThat(assertion.issuer()).isEqualTo(TestSamlIdp.ENTITY_ID);
        assertThat(assertion.attribute("groups")).containsExactly("warden-admins");
        assertThat(assertion.firstAttribute("displayName")).isEqualTo("Alice Example");
    }

    @Test
    void acceptsWhenResponseAndAssertionAreBothSigned() throws Exception {
        Document doc = IDP.signedResponse(spec());
        IDP.signResponse(doc, IDP.keyPair);

        assertThat(validator.validate(encode(doc)).nameId()).isEqualTo("alice@example.com");
    }

    @Test
    void rejectsAnUnsignedResponse() {
        assertRejected(IDP.unsignedResponse(spec()), "assertion is not signed");
    }

    @Test
    void rejectsAResponseWhoseOnlySignatureIsOnTheResponse() {
        Document doc = IDP.unsignedResponse(spec());
        IDP.signResponse(doc, IDP.keyPair);

        assertRejected(doc, "assertion is not signed");
    }

    @Test
    void rejectsASignatureByAnotherKey() {
        Document doc = IDP.unsignedResponse(spec());
        IDP.signAssertion(doc, TestSamlIdp.otherKey());

        assertRejected(doc, "does not verify with the IdP's signing certificate");
    }

    @Test
    void rejectsAnAssertionChangedAfterSigning() {
        Document doc = IDP.signedResponse(spec().withGroups(List.of("warden-viewers")));
        Element value = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue").item(0);
        value.setTextContent("warden-admins");

        assertRejected(doc, "Assertion signature");
    }

    @Test
    void rejectsABadResponseSignatureEvenWhenTheAssertionSignatureIsGood() {
        Document doc = IDP.signedResponse(spec());
        IDP.signResponse(doc, TestSamlIdp.otherKey());

        assertRejected(doc, "Response signature does not verify");
    }

    @Test
    void rejectsSha1Signatures() {
        Document doc = IDP.unsignedResponse(spec());
        IDP.sign(assertion(doc), IDP.keyPair, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1);

        assertRejected(doc, "signature algorithm");
    }

    @Test
    void rejectsTheWrongAudience() {
        assertRejected(IDP.signedResponse(spec().withAudience("https://other-sp.example.com")), "audience");
    }

    @Test
    void rejectsTheWrongRecipient() {
        assertRejected(IDP.signedResponse(spec().withRecipient("https://evil.example.com/acs")), "Recipient");
    }

    @Test
    void rejectsTheWrongDestination() {
        assertRejected(IDP.signedResponse(spec().withDestination("https://evil.example.com/acs")), "Destination");
    }

    @Test
    void rejectsTheWrongIssuer() {
        assertRejected(IDP.signedResponse(spec().withIssuer("https://evil-idp.example.com")), "Issuer");
    }

    @Test
    void rejectsAnExpiredAssertion() {
        // Issued 10 minutes ago with a 5-minute lifetime: 5 minutes past, well beyond the 60 s skew.
        assertRejected(IDP.signedResponse(spec().withIssuedAt(now.minus(Duration.ofMinutes(10)))), "expired");
    }

    @Test
    void acceptsAnAssertionJustWithinTheClockSkew() throws Exception {
        // Expired 30 s ago; the skew is 60 s.
        Spec spec = spec().withIssuedAt(now.minus(Duration.ofMinutes(5)).minusSeconds(30));

        assertThat(validator.validate(encode(IDP.signedResponse(spec))).nameId()).isEqualTo("alice@example.com");
    }

    @Test
    void rejectsAnAssertionFromTheFuture() {
        assertRejected(IDP.signedResponse(spec().withIssuedAt(now.plus(Duration.ofMinutes(10)))), "not valid before");
    }

    @Test
    void rejectsAReplayedAssertion() throws Exception {
        // Two outstanding requests; the same assertion ID answering both must still be refused the second time.
        Spec spec = spec();
        validator.validate(encode(IDP.signedResponse(spec)));
        String secondRequest = outstanding.issue();

        assertRejected(IDP.signedResponse(spec.withInResponseTo(secondRequest)), "replay");
    }

    @Test
    void rejectsTheSameResponsePostedTwice() throws Exception {
        String response = encode(IDP.signedResponse(spec()));
        validator.validate(response);

        assertThatThrownBy(() -> validator.validate(response)).isInstanceOf(SamlValidationException.class)
                .hasMessageContaining("does not match a pending login request");
    }

    @Test
    void rejectsAnInResponseToThatWasNeverSent() {
        assertRejected(IDP.signedResponse(spec().withInResponseTo("_never-sent")), "does not match a pending login request");
    }

    @Test
    void rejectsUnsolicitedResponsesUnlessIdpInitiatedLoginIsOn() throws Exception {
        Document unsolicited = IDP.signedResponse(spec().withInResponseTo(null));
        assertRejected(unsolicited, "unsolicited");

        SamlResponseValidator lenient = new SamlResponseValidator(SP, ACS,
                () -> parseMetadata(), Duration.ofSeconds(60), true, outstanding, new InMemoryAssertionReplayCache(clock), clock);
        assertThat(lenient.validate(encode(IDP.signedResponse(spec().withInResponseTo(null)))).nameId())
                .isEqualTo("alice@example.com");
    }

    @Test
    void rejectsAFailedStatus() {
        Document doc = IDP.signedResponse(spec());
        Element code = (Element) doc.getElementsByTagNameNS(PROTOCOL_NS, "StatusCode").item(0);
        code.setAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:Requester");

        assertRejected(doc, "status");
    }

    // XML signature wrapping: each attack keeps the genuine signed assertion somewhere and puts a forged one where a
    // naive SP would read it.

    @Test
    void wrappingRejectsAForgedAssertionBesideTheSignedOne() {
        Document doc = IDP.signedResponse(spec());
        Element forged = forgedCopy(doc, "_forged");
        doc.getDocumentElement().appendChild(forged);

        assertRejected(doc, "2 assertions");
    }

    @Test
    void wrappingRejectsTheSignedAssertionHiddenInExtensions() {
        Document doc = IDP.signedResponse(spec());
        Element signed = assertion(doc);
        Element forged = forgedCopy(doc, "_forged");
        Element extensions = doc.createElementNS(PROTOCOL_NS, "samlp:Extensions");
        doc.getDocumentElement().replaceChild(forged, signed);
        extensions.appendChild(signed);
        doc.getDocumentElement().insertBefore(extensions, doc.getDocumentElement().getFirstChild().getNextSibling());

        assertRejected(doc, "2 assertions");
    }

    @Test
    void wrappingRejectsAForgedAssertionReusingTheSignedId() {
        // The forged assertion takes the genuine one's ID; the genuine one moves into the forged one's Signature.
        Document doc = IDP.signedResponse(spec());
        Element signed = assertion(doc);
        Element forged = forgedCopy(doc, signed.getAttribute("ID"));
        Element signature = (Element) forged.getElementsByTagNameNS(DSIG_NS, "Signature").item(0);
        Element object = doc.createElementNS(DSIG_NS, "ds:Object");
        signature.appendChild(object);
        doc.getDocumentElement().replaceChild(forged, signed);
        object.appendChild(signed);

        assertThatThrownBy(() -> validator.validate(encode(doc))).isInstanceOf(SamlValidationException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("2 assertions", "more than once"));
    }

    @Test
    void wrappingRejectsASignatureMovedOntoAnotherAssertion() {
        // The genuine signature (over the genuine ID) is put into a forged assertion with a different ID.
        Document doc = IDP.signedResponse(spec());
        Element signed = assertion(doc);
        Element forged = forgedCopy(doc, "_forged");
        doc.getDocumentElement().replaceChild(forged, signed);

        assertRejected(doc, "references #" + spec().assertionId().substring(0, 0));
    }

    @Test
    void wrappingRejectsASignatureOutsideTheResponseAndAssertion() {
        Document doc = IDP.signedResponse(spec());
        Element status = (Element) doc.getElementsByTagNameNS(PROTOCOL_NS, "Status").item(0);
        Node signatureCopy = assertion(doc).getElementsByTagNameNS(DSIG_NS, "Signature").item(0).cloneNode(true);
        status.appendChild(signatureCopy);

        assertRejected(doc, "ds:Signature inside Status");
    }

    @Test
    void readsTheWholeNameIdEvenWithACommentInside() throws Exception {
        // CVE-2017-11427: the signature (exclusive c14n without comments) covers "alice@example.com.evil.com";
        // a parser that reads only the first text node would see "alice@example.com".
        Document doc = IDP.unsignedResponse(spec().withNameId("alice@example.com.evil.com"));
        Element nameId = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "NameID").item(0);
        nameId.setTextContent("");
        nameId.appendChild(doc.createTextNode("alice@example.com"));
        nameId.appendChild(doc.createComment(""));
        nameId.appendChild(doc.createTextNode(".evil.com"));
        IDP.signAssertion(doc, IDP.keyPair);

        assertThat(validator.validate(encode(doc)).nameId()).isEqualTo("alice@example.com.evil.com");
    }

    @Test
    void rejectsADoctypeAndExternalEntities() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">&x;</samlp:Response>""";

        assertThatThrownBy(() -> validator.validate(encode(xxe))).isInstanceOf(SamlValidationException.class)
                .hasMessageContaining("unsafe XML");
    }

    @Test
    void rejectsEncryptedAssertions() {
        Document doc = IDP.unsignedResponse(spec());
        Element encrypted = doc.createElementNS(ASSERTION_NS, "saml:EncryptedAssertion");
        doc.getDocumentElement().replaceChild(encrypted, assertion(doc));

        assertRejected(doc, "encrypted assertions are not supported");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> validator.validate("not base64 at all!")).isInstanceOf(SamlValidationException.class);
        assertThatThrownBy(() -> validator.validate(encode("<x/>"))).isInstanceOf(SamlValidationException.class)
                .hasMessageContaining("expected: samlp:Response");
    }

    private Element forgedCopy(Document doc, String id) {
        Element forged = (Element) assertion(doc).cloneNode(true);
        forged.setAttributeNS(null, "ID", id);
        forged.getElementsByTagNameNS(ASSERTION_NS, "NameID").item(0).setTextContent("mallory@example.com");
        return forged;
    }

    private void assertRejected(Document doc, String reason) {
        assertThatThrownBy(() -> validator.validate(encode(doc)))
                .isInstanceOf(SamlValidationException.class)
                .hasMessageContaining(reason);
    }

    private static IdentityProviderMetadata parseMetadata() {
        try {
            return IdentityProviderMetadata.parse(IDP.metadataXml().getBytes(StandardCharsets.UTF_8));
        } catch (SamlValidationException e) {
            throw new IllegalStateException(e);
        }
    }
}
