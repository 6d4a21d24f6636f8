package io.weft.control.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.fleet.ClusterName;
import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;

/**
 * The JSON form of a desired state's peer directory: an array of
 * {@code {"name": ..., "role": ..., "tags": [...], "cluster": ...}} sorted by name, where
 * {@code cluster} is absent for a node without one.
 */
final class PeerDirectoryJson {

    private static final String MEMBER = "peers";
    private static final Set<String> ENTRY_MEMBERS = Set.of("name", "role", "tags", "cluster");

    private PeerDirectoryJson() {
    }

    /** Returns the entries sorted by full name, rejecting a name listed twice. */
    static List<PeerAttributes> sortedByName(List<PeerAttributes> peers) {
        List<PeerAttributes> sorted = new ArrayList<>(peers);
        sorted.sort(Comparator.comparing(peer -> peer.name().toString()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new InvalidDesiredStateException(MEMBER, "node '" + sorted.get(i).name()
                        + "' is listed twice; the directory lists each node once");
            }
        }
        return List.copyOf(sorted);
    }

    static ArrayNode write(List<PeerAttributes> peers) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (PeerAttributes peer : peers) {
            ObjectNode entry = array.addObject();
            entry.put("name", peer.name().toString());
            entry.put("role", peer.role().id());
            ArrayNode tags = entry.putArray("tags");
            peer.tags().forEach(tag -> tags.add(tag.toString()));
            peer.cluster().ifPresent(cluster -> entry.put("cluster", cluster.toString()));
        }
        return array;
    }

    static List<PeerAttributes> read(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidDesiredStateException(MEMBER, "expected an array of peer entries");
        }
        List<PeerAttributes> peers = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            peers.add(entry(MEMBER + "[" + i + "]", node.get(i)));
        }
        return peers;
    }

    private static PeerAttributes entry(String path, JsonNode entry) {
        if (!entry.isObject()) {
            throw new InvalidDesiredStateException(path, "expected an object, found " + entry);
        }
        entry.fieldNames().forEachRemaining(name -> {
            if (!ENTRY_MEMBERS.contains(name)) {
                throw new InvalidDesiredStateException(path + "." + name, "unknown member; expected "
                        + new TreeSet<>(ENTRY_MEMBERS));
            }
        });
        try {
            return new PeerAttributes(NodeFullName.parse(text(path, entry, "name")),
                    NodeRole.parse(text(path, entry, "role")), tags(path, entry.get("tags")),
                    entry.has("cluster") ? Optional.of(ClusterName.of(text(path, entry, "cluster"))) : Optional.empty());
        } catch (InvalidFleetInputException e) {
            throw new InvalidDesiredStateException(path, e.getMessage());
        }
    }

    private static Set<Tag> tags(String path, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new InvalidDesiredStateException(path + ".tags", "expected an array of tags");
        }
        Set<Tag> tags = new TreeSet<>();
        for (JsonNode tag : node) {
            if (!tag.isTextual()) {
                throw new InvalidDesiredStateException(path + ".tags", "expected strings, found " + tag);
            }
            tags.add(Tag.of(tag.textValue()));
        }
        return tags;
    }

    private static String text(String path, JsonNode entry, String name) {
        JsonNode value = entry.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new InvalidDesiredStateException(path + "." + name, "expected a non-empty string");
        }
        return value.textValue();
    }
}
