package io.weft.manager.control.internal;

import java.util.Optional;
import java.util.Set;

import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;

/** Steps that set up domains, nodes and profile documents in the store, as the fleet API writes them. */
final class Fleet {

    private final FleetStore store;

    Fleet(FleetStore store) {
        this.store = store;
    }

    void domain(String name) {
        store.createDomain(name, "");
    }

    Node node(String name, String domain) {
        return store.createNode(new NodeSpec(name, domain, NodeRole.EDGE, Set.of(), Optional.empty(), ""));
    }

    Node node(String name, String domain, NodeRole role, Set<String> tags, Optional<String> cluster) {
        return store.createNode(new NodeSpec(name, domain, role, tags, cluster, ""));
    }

    /** Replaces the node's tags and keeps its other fields. */
    Node setTags(Node node, Set<String> tags) {
        Node current = store.findNode(node.id()).orElseThrow();
        return store.updateNode(current.id(), current.version(), new NodeSpec(current.name(), current.domain(),
                current.role(), tags, current.cluster(), current.description()));
    }

    /** Creates or replaces the domain's profile with one long value. */
    void setDomainValue(String domain, String pid, String key, long value) {
        putProfile(ProfileOwner.domain(domain), "{\"pids\":{\"" + pid + "\":{\"" + key
                + "\":{\"type\":\"long\",\"value\":" + value + "}}}}");
    }

    void putProfile(ProfileOwner owner, String json) {
        Optional<ProfileDocument> existing = store.findProfile(owner);
        if (existing.isEmpty()) {
            store.createProfile(owner, json);
        } else {
            store.updateProfile(owner, existing.get().version(), json);
        }
    }
}
