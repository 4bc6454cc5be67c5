package dev.warden.sso.saml;

import static dev.warden.sso.saml.SamlXml.*;
import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.xml.security.Init;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Validates a SAML 2.0 {@code Response} posted to the assertion consumer service (HTTP-POST binding) and returns the
 * one assertion in it, or says why not.
 *
 * <p>The checks, in the order they run; each failure ends validation:
 * <ol>
 *   <li>Size and secure parsing: no DOCTYPE, no external entities (see {@link SamlXml#parse}).</li>
 *   <li>Shape, against XML signature wrapping: the root is a {@code samlp:Response}; the whole document holds exactly
 *       one {@code Assertion} and it is a direct child of the root; no {@code EncryptedAssertion}; every {@code ID}
 *       value is unique; {@code ds:Signature} appears only as a direct child of the Response or the Assertion.
 *       Wrapping attacks need a second assertion, a duplicate ID or a signature somewhere else, so each is refused
 *       before any signature is looked at.</li>
 *   <li>Signatures, with the IdP metadata's certificates only (never KeyInfo from the message): the Assertion must be
 *       signed; a Response signature, when present, must verify too. Each signature must have exactly one reference,
 *       to the ID of the element it sits in, with only the enveloped-signature and exclusive-c14n transforms and
 *       SHA-2 algorithms; after verification, the node the reference resolved to must be that very element, so what
 *       is read below is what was signed.</li>
 *   <li>Protocol: Destination (when present) is our ACS URL, status Success, Issuer is the IdP's entity ID.</li>
 *   <li>Assertion: a bearer SubjectConfirmation whose Recipient is our ACS URL and whose NotOnOrAfter has not
 *       passed; Conditions with NotBefore/NotOnOrAfter within the clock skew and an AudienceRestriction naming our
 *       entity ID; InResponseTo matching a request we sent and have not seen answered (IdP-initiated login, with no
 *       InResponseTo, only when configured).</li>
 *   <li>Replay: the assertion ID is recorded until it expires; a second use is refused.</li>
 * </ol>
 */
public final class SamlResponseValidator {

    private static final int MAX_RESPONSE_BYTES = 256 * 1024;
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA512);
    private static final Set<String> DIGEST_ALGORITHMS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");
    private static final Set<String> TRANSFORMS = Set.of(
            Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);

    static {
        Init.init();
    }

    private final String spEntityId;
    private final String acsUrl;
    private final Supplier<IdentityProviderMetadata> idp;
    private final Duration clockSkew;
    private final boolean allowIdpInitiated;
    private final OutstandingRequests outstandingRequests;
    private final AssertionReplayCache replayCache;
    private final Clock clock;

    /**
     * @param idp the IdP's metadata, asked on every validation so that a refreshed metadata document (new signing
     *     certificate) takes effect without a restart
     */
    public SamlResponseValidator(String spEntityId, String acsUrl, Supplier<IdentityProviderMetadata> idp,
            Duration clockSkew, boolean allowIdpInitiated, OutstandingRequests outstandingRequests,
            AssertionReplayCache replayCache, Clock clock) {
        this.spEntityId = requireNonNull(spEntityId, "spEntityId");
        this.acsUrl = requireNonNull(acsUrl, "acsUrl");
        this.idp = requireNonNull(idp, "idp");
        this.clockSkew = requireNonNull(clockSkew, "clockSkew");
        this.allowIdpInitiated = allowIdpInitiated;
        this.outstandingRequests = requireNonNull(outstandingRequests, "outstandingRequests");
        this.replayCache = requireNonNull(replayCache, "replayCache");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Validates the base64 {@code SAMLResponse} form parameter. */
    public SamlAssertion validate(String samlResponseParameter) throws SamlValidationException {
        if (samlResponseParameter.length() > MAX_RESPONSE_BYTES * 4 / 3 + 4) {
            throw new SamlValidationException("SAMLResponse is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(samlResponseParameter);
        } catch (IllegalArgumentException e) {
            throw new SamlValidationException("SAMLResponse is not base64");
        }
        Document doc = SamlXml.parse(xml);
        IdentityProviderMetadata metadata = idp.get();
        Instant now = clock.instant();

        // 2. Shape.
        Element response = doc.getDocumentElement();
        if (!is(response, PROTOCOL_NS, "Response")) {
            throw new SamlValidationException("root element is " + response.getLocalName() + " (expected: samlp:Response)");
        }
        requireVersion(response);
        if (!descendants(doc, ASSERTION_NS, "EncryptedAssertion").isEmpty()) {
            throw new SamlValidationException("encrypted assertions are not supported (turn assertion encryption off at the IdP; TLS protects it in transit)");
        }
        List<Element> assertions = descendants(doc, ASSERTION_NS, "Assertion");
        if (assertions.size() != 1) {
            throw new SamlValidationException("response holds " + assertions.size() + " assertions (expected: exactly one)");
        }
        Element assertion = assertions.get(0);
        if (assertion.getParentNode() != response) {
            throw new SamlValidationException("the assertion is not a direct child of the Response");
        }
        requireUniqueIds(doc);
        for (Element signature : descendants(doc, DSIG_NS, "Signature")) {
            Node parent = signature.getParentNode();
            if (parent != response && parent != assertion) {
                throw new SamlValidationException("ds:Signature inside " + parent.getLocalName()
                        + " (expected: only in the Response or the Assertion)");
            }
        }

        // 3. Signatures. Registering ID attributes only on these two elements means a reference can resolve to nothing else.
        String responseId = requiredId(response);
        String assertionId = requiredId(assertion);
        response.setIdAttributeNS(null, "ID", true);
        assertion.setIdAttributeNS(null, "ID", true);
        Element responseSignature = optionalChild(response, DSIG_NS, "Signature");
        if (responseSignature != null) {
            verifySignature(responseSignature, response, responseId, metadata.signingCertificates());
        }
        Element assertionSignature = optionalChild(assertion, DSIG_NS, "Signature");
        if (assertionSignature == null) {
            throw new SamlValidationException("the assertion is not signed (expected: a signed assertion)");
        }
        verifySignature(assertionSignature, assertion, assertionId, metadata.signingCertificates());

        // 4. Protocol.
        String destination = attribute(response, "Destination");
        if (destination != null && !destination.equals(acsUrl)) {
            throw new SamlValidationException("Destination " + destination + " (expected: " + acsUrl + ")");
        }
        Element status = requiredChild(response, PROTOCOL_NS, "Status");
        String statusCode = attribute(requiredChild(status, PROTOCOL_NS, "StatusCode"), "Value");
        if (!STATUS_SUCCESS.equals(statusCode)) {
            throw new SamlValidationException("IdP answered status " + statusCode + " (expected: Success)");
        }
        Element responseIssuer = optionalChild(response, ASSERTION_NS, "Issuer");
        if (responseIssuer != null && !text(responseIssuer).equals(metadata.entityId())) {
            throw new SamlValidationException("Response Issuer " + text(responseIssuer) + " (expected: " + metadata.entityId() + ")");
        }

        // 5. Assertion.
        requireVersion(assertion);
        String issuer = text(requiredChild(assertion, ASSERTION_NS, "Issuer"));
        if (!issuer.equals(metadata.entityId())) {
            throw new SamlValidationException("Assertion Issuer " + issuer + " (expected: " + metadata.entityId() + ")");
        }
        Element subject = requiredChild(assertion, ASSERTION_NS, "Subject");
        String nameId = text(requiredChild(subject, ASSERTION_NS, "NameID"));
        if (nameId.isEmpty()) {
            throw new SamlValidationException("NameID is empty");
        }
        String responseInResponseTo = attribute(response, "InResponseTo");
        Instant confirmationExpiry = checkSubjectConfirmation(subject, responseInResponseTo, now);
        Instant conditionsExpiry = checkConditions(requiredChild(assertion, ASSERTION_NS, "Conditions"), now);
        if (children(assertion, ASSERTION_NS, "AuthnStatement").isEmpty()) {
            throw new SamlValidationException("assertion has no AuthnStatement (expected: an authentication assertion)");
        }
        if (responseInResponseTo == null) {
            if (!allowIdpInitiated) {
                throw new SamlValidationException("unsolicited response (no InResponseTo) and IdP-initiated login is off (warden.sso.saml.allow-idp-initiated)");
            }
        } else if (!outstandingRequests.consume(responseInResponseTo)) {
            throw new SamlValidationException("InResponseTo " + responseInResponseTo + " does not match a pending login request");
        }

        // 6. Replay, last: only assertions that passed every other check occupy the cache.
        Instant expiry = (confirmationExpiry.isBefore(conditionsExpiry) ? confirmationExpiry : conditionsExpiry).plus(clockSkew);
        if (!replayCache.markUsed(assertionId, expiry)) {
            throw new SamlValidationException("assertion " + assertionId + " was already used (replay)");
        }
        return new SamlAssertion(assertionId, issuer, nameId, attributes(assertion));
    }

    private void verifySignature(Element signatureElement, Element signed, String id, List<X509Certificate> certificates)
            throws SamlValidationException {
        String what = signed.getLocalName();
        try {
            XMLSignature signature = new XMLSignature(signatureElement, "", true);
            SignedInfo signedInfo = signature.getSignedInfo();
            if (!Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS.equals(signedInfo.getCanonicalizationMethodURI())) {
                throw new SamlValidationException(what + " signature canonicalization " + signedInfo.getCanonicalizationMethodURI()
                        + " (expected: exclusive c14n)");
            }
            if (!SIGNATURE_ALGORITHMS.contains(signedInfo.getSignatureMethodURI())) {
                throw new SamlValidationException(what + " signature algorithm " + signedInfo.getSignatureMethodURI()
                        + " (expected: RSA or ECDSA with SHA-256/384/512)");
            }
            if (signedInfo.getLength() != 1) {
                throw new SamlValidationException(what + " signature has " + signedInfo.getLength() + " references (expected: 1)");
            }
            Reference reference = signedInfo.item(0);
            if (!("#" + id).equals(reference.getURI())) {
                throw new SamlValidationException(what + " signature references " + reference.getURI()
                        + " (expected: #" + id + ", the element it is in)");
            }
            String digest = reference.getMessageDigestAlgorithm().getAlgorithmURI();
            if (!DIGEST_ALGORITHMS.contains(digest)) {
                throw new SamlValidationException(what + " signature digest " + digest + " (expected: SHA-256/384/512)");
            }
            Transforms transforms = reference.getTransforms();
            boolean enveloped = false;
            for (int i = 0; transforms != null && i < transforms.getLength(); i++) {
                String uri = transforms.item(i).getURI();
                if (!TRANSFORMS.contains(uri)) {
                    throw new SamlValidationException(what + " signature transform " + uri
                            + " (expected: enveloped-signature and exclusive c14n only)");
                }
                enveloped |= Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(uri);
            }
            if (!enveloped) {
                throw new SamlValidationException(what + " signature is not enveloped");
            }
            boolean valid = false;
            for (X509Certificate certificate : certificates) {
                if (signature.checkSignatureValue(certificate.getPublicKey())) {
                    valid = true;
                    break;
                }
            }
            if (!valid) {
                throw new SamlValidationException(what + " signature does not verify with the IdP's signing certificate");
            }
            Node resolved = reference.getContentsBeforeTransformation().getSubNode();
            if (resolved != signed) {
                throw new SamlValidationException(what + " signature covers a different element than the one read");
            }
        } catch (XMLSecurityException e) {
            throw new SamlValidationException(what + " signature is invalid: " + e.getMessage());
        }
    }

    /** Returns the latest NotOnOrAfter of a valid bearer confirmation. */
    private Instant checkSubjectConfirmation(Element subject, @Nullable String responseInResponseTo, Instant now)
            throws SamlValidationException {
        List<String> problems = new ArrayList<>();
        for (Element confirmation : children(subject, ASSERTION_NS, "SubjectConfirmation")) {
            if (!BEARER.equals(attribute(confirmation, "Method"))) {
                problems.add("method " + attribute(confirmation, "Method"));
                continue;
            }
            Element data = optionalChild(confirmation, ASSERTION_NS, "SubjectConfirmationData");
            if (data == null) {
                problems.add("no SubjectConfirmationData");
                continue;
            }
            String recipient = attribute(data, "Recipient");
            if (!acsUrl.equals(recipient)) {
                problems.add("Recipient " + recipient + " (expected: " + acsUrl + ")");
                continue;
            }
            Instant notOnOrAfter = instant(data, "NotOnOrAfter");
            if (notOnOrAfter == null) {
                problems.add("no NotOnOrAfter");
                continue;
            }
            if (!now.isBefore(notOnOrAfter.plus(clockSkew))) {
                problems.add("expired at " + notOnOrAfter);
                continue;
            }
            Instant notBefore = instant(data, "NotBefore");
            if (notBefore != null && now.plus(clockSkew).isBefore(notBefore)) {
                problems.add("not valid before " + notBefore);
                continue;
            }
            String inResponseTo = attribute(data, "InResponseTo");
            if (!java.util.Objects.equals(inResponseTo, responseInResponseTo)) {
                problems.add("InResponseTo " + inResponseTo + " (expected: " + responseInResponseTo + ")");
                continue;
            }
            return notOnOrAfter;
        }
        throw new SamlValidationException("no valid bearer SubjectConfirmation"
                + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }

    /** Returns the Conditions' NotOnOrAfter. */
    private Instant checkConditions(Element conditions, Instant now) throws SamlValidationException {
        Instant notBefore = instant(conditions, "NotBefore");
        if (notBefore != null && now.plus(clockSkew).isBefore(notBefore)) {
            throw new SamlValidationException("assertion not valid before " + notBefore + " (now " + now + ")");
        }
        Instant notOnOrAfter = instant(conditions, "NotOnOrAfter");
        if (notOnOrAfter == null) {
            throw new SamlValidationException("Conditions have no NotOnOrAfter (expected: an expiring assertion)");
        }
        if (!now.isBefore(notOnOrAfter.plus(clockSkew))) {
            throw new SamlValidationException("assertion expired at " + notOnOrAfter + " (now " + now + ")");
        }
        List<Element> restrictions = children(conditions, ASSERTION_NS, "AudienceRestriction");
        if (restrictions.isEmpty()) {
            throw new SamlValidationException("assertion has no AudienceRestriction (expected: audience " + spEntityId + ")");
        }
        // Every AudienceRestriction must name us (SAML core 2.5.1.4): the assertion is meant for all of them at once.
        for (Element restriction : restrictions) {
            List<String> audiences = new ArrayList<>();
            for (Element audience : children(restriction, ASSERTION_NS, "Audience")) {
                audiences.add(text(audience));
            }
            if (!audiences.contains(spEntityId)) {
                throw new SamlValidationException("audience " + audiences + " (expected: " + spEntityId + ")");
            }
        }
        return notOnOrAfter;
    }

    private static Map<String, List<String>> attributes(Element assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Element statement : children(assertion, ASSERTION_NS, "AttributeStatement")) {
            for (Element attribute : children(statement, ASSERTION_NS, "Attribute")) {
                String name = attribute(attribute, "Name");
                if (name == null) {
                    continue;
                }
                List<String> values = attributes.computeIfAbsent(name, n -> new ArrayList<>());
                for (Element value : children(attribute, ASSERTION_NS, "AttributeValue")) {
                    values.add(text(value));
                }
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        attributes.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return frozen;
    }

    private static void requireVersion(Element element) throws SamlValidationException {
        if (!"2.0".equals(attribute(element, "Version"))) {
            throw new SamlValidationException(element.getLocalName() + " Version " + attribute(element, "Version") + " (expected: 2.0)");
        }
    }

    private static String requiredId(Element element) throws SamlValidationException {
        String id = attribute(element, "ID");
        if (id == null || id.isBlank()) {
            throw new SamlValidationException(element.getLocalName() + " has no ID");
        }
        return id;
    }

    /** Duplicate IDs let a reference resolve to a copy of the element rather than the one read. */
    private static void requireUniqueIds(Document doc) throws SamlValidationException {
        Set<String> seen = new HashSet<>();
        List<Element> stack = new ArrayList<>(List.of(doc.getDocumentElement()));
        while (!stack.isEmpty()) {
            Element element = stack.removeLast();
            NamedNodeMap attributes = element.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr attr = (Attr) attributes.item(i);
                String name = attr.getLocalName() == null ? attr.getName() : attr.getLocalName();
                if ((name.equals("ID") || name.equals("Id") || name.equals("id")) && !seen.add(attr.getValue())) {
                    throw new SamlValidationException("ID " + attr.getValue() + " appears more than once");
                }
            }
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element child) {
                    stack.add(child);
                }
            }
        }
    }

    private static @Nullable Instant instant(Element element, String attributeName) throws SamlValidationException {
        String value = attribute(element, attributeName);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new SamlValidationException(element.getLocalName() + " " + attributeName + " '" + value + "' is not an xs:dateTime in UTC");
        }
    }
}
