package dev.warden.sso.saml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Namespaces and a parser that refuses DTDs, external entities and XInclude. */
final class SamlXml {

    static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    static final String HTTP_POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    static final String HTTP_REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    static final String STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    private static final ErrorHandler FAIL_ON_ANY = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SamlXml() {
    }

    /**
     * Parses untrusted XML. A DOCTYPE is refused outright (no SAML message has one, and it is the door to XXE and
     * entity expansion); the JDK's own parser is used so that a different parser on the class path cannot weaken this.
     */
    static Document parse(byte[] xml) throws SamlValidationException {
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            builder.setErrorHandler(FAIL_ON_ANY);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new SamlValidationException("malformed or unsafe XML: " + firstLine(e.getMessage()));
        } catch (IOException | ParserConfigurationException e) {
            throw new SamlValidationException("cannot parse XML: " + firstLine(e.getMessage()), e);
        }
    }

    static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    static boolean is(Node node, String ns, String localName) {
        return node instanceof Element e && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName());
    }

    static List<Element> children(Element parent, String ns, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (is(n, ns, localName)) {
                found.add((Element) n);
            }
        }
        return found;
    }

    /** The only child of that name, or null; more than one is an error (duplicates are a wrapping tool). */
    static @Nullable Element optionalChild(Element parent, String ns, String localName) throws SamlValidationException {
        List<Element> found = children(parent, ns, localName);
        if (found.size() > 1) {
            throw new SamlValidationException(parent.getLocalName() + " has " + found.size() + " " + localName
                    + " elements (expected: at most one)");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    static Element requiredChild(Element parent, String ns, String localName) throws SamlValidationException {
        Element child = optionalChild(parent, ns, localName);
        if (child == null) {
            throw new SamlValidationException(parent.getLocalName() + " has no " + localName + " (expected: one)");
        }
        return child;
    }

    static List<Element> descendants(Document doc, String ns, String localName) {
        NodeList list = doc.getElementsByTagNameNS(ns, localName);
        List<Element> found = new ArrayList<>(list.getLength());
        for (int i = 0; i < list.getLength(); i++) {
            found.add((Element) list.item(i));
        }
        return found;
    }

    /** The attribute value, or null when absent or empty (DOM returns "" for both). */
    static @Nullable String attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? element.getAttributeNS(null, name) : null;
    }

    /**
     * All text of the element, comments and all text nodes included. Reading only the first text node is what made
     * {@code admin@example.com<!---->.evil.com} sign in as admin in several SAML libraries (CVE-2017-11427).
     */
    static String text(Element element) {
        return element.getTextContent().trim();
    }

    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
