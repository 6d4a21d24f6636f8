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
