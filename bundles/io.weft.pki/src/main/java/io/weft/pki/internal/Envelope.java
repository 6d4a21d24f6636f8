package io.weft.pki.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.pki.PkiException;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * JSON form of a signed document: {@code {"format":"weft-signed-v1","algorithm":…,
 * "payload":…,"signature":…,"chain":[…]}} with standard Base64 for the payload, the signature
 * and each DER certificate of the chain (leaf first, as in the JWS {@code x5c} member).
 */
public record Envelope(String algorithm, byte[] payload, byte[] signature, List<X509Certificate> chain) {

    public static final String FORMAT = "weft-signed-v1";
    private static final Set<String> FIELDS = Set.of("format", "algorithm", "payload", "signature", "chain");
    private static final int MAX_CHAIN_LENGTH = 5;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public byte[] encode() {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("algorithm", algorithm);
        json.put("payload", Base64.getEncoder().encodeToString(payload));
        json.put("signature", Base64.getEncoder().encodeToString(signature));
        ArrayNode certificates = json.putArray("chain");
        for (X509Certificate certificate : chain) {
            try {
                certificates.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new PkiException("Encoding the signer chain failed: " + e.getMessage(), e);
            }
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new PkiException("Encoding the signed document failed: " + e.getMessage(), e);
        }
    }

    public static Envelope decode(byte[] bytes) {
        ObjectNode json = parse(bytes);
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("it has the unknown member '" + name + "'");
            }
        }
        if (!FORMAT.equals(text(json, "format"))) {
            throw invalid("its format is '" + text(json, "format") + "', not '" + FORMAT + "'");
        }
        return new Envelope(text(json, "algorithm"), base64(json, "payload"), base64(json, "signature"),
                chain(json));
    }

    private static ObjectNode parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node instanceof ObjectNode) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            throw invalid("it is not valid JSON");
        }
        throw invalid("it is not a JSON object");
    }

    private static List<X509Certificate> chain(ObjectNode json) {
        JsonNode node = json.get("chain");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_CHAIN_LENGTH) {
            throw invalid("its chain is not an array of 1 to " + MAX_CHAIN_LENGTH + " certificates");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw invalid("its chain contains a value that is not a Base64 string");
            }
            chain.add(Certs.toX509(decodeBase64(element.textValue(), "chain")));
        }
        return chain;
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw invalid("it lacks the member " + field);
        }
        if (!value.isTextual()) {
            throw invalid("its member " + field + " is not a string");
        }
        return value.textValue();
    }

    private static byte[] base64(ObjectNode json, String field) {
        return decodeBase64(text(json, field), field);
    }

    private static byte[] decodeBase64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid("its member " + field + " is not valid Base64");
        }
    }

    private static PkiException invalid(String reason) {
        return new PkiException("The signed document is invalid: " + reason + ".");
    }
}
