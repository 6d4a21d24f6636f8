package io.weft.manager.apps.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the Edge API app names that a stored bundle publishes: the {@code weft.app} property
 * of the Declarative Services descriptors that its {@code Service-Component} header lists. The
 * names are cached by the bundle's SHA-256, because stored versions are immutable.
 */
final class EdgeAppNames {

    static final String APP_PROPERTY = "weft.app";

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAppNames.class);
    /** Maximum size of a descriptor that is read, in bytes; bnd writes a few hundred bytes per component. */
    private static final int MAX_DESCRIPTOR_BYTES = 1024 * 1024;

    private final Map<String, Set<String>> bySha256 = new ConcurrentHashMap<>();

    /** Returns the app names of a bundle file, empty when it publishes no operation or cannot be read. */
    Set<String> of(String sha256, Path bundle) {
        return bySha256.computeIfAbsent(sha256, key -> read(bundle));
    }

    static Set<String> read(Path bundle) {
        Set<String> names = new TreeSet<>();
        try (JarFile jar = new JarFile(bundle.toFile())) {
            String header = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue("Service-Component");
            if (header == null) {
                return Set.of();
            }
            DocumentBuilder parser = parser();
            for (String path : header.split(",")) {
                ZipEntry entry = jar.getEntry(path.strip());
                if (entry == null) {
                    continue;
                }
                byte[] descriptor;
                try (InputStream in = jar.getInputStream(entry)) {
                    descriptor = in.readNBytes(MAX_DESCRIPTOR_BYTES + 1);
                }
                if (descriptor.length <= MAX_DESCRIPTOR_BYTES) {
                    addNames(parser.parse(new ByteArrayInputStream(descriptor)).getDocumentElement(), names);
                }
            }
        } catch (IOException | SAXException | ParserConfigurationException e) {
            LOG.warn("Deployments: reading the operations of bundle {} failed, so no node learns where it runs: {}",
                    bundle.getFileName(), e.toString());
            return Set.of();
        }
        return Set.copyOf(names);
    }

    private static void addNames(Element root, Set<String> names) {
        NodeList properties = root.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (APP_PROPERTY.equals(property.getAttribute("name"))) {
                String value = property.hasAttribute("value") ? property.getAttribute("value")
                        : property.getTextContent();
                if (!value.isBlank()) {
                    names.add(value.strip());
                }
            }
        }
    }

    /** Returns a parser that reads no DTD and no external entity, because the bundle comes from an uploader. */
    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        factory.setXIncludeAware(false);
        return factory.newDocumentBuilder();
    }
}
