package io.weft.manager.policy.internal;

import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StoredPolicy;
import io.weft.policy.PolicyDocument;

/**
 * The stored policy, parsed once per version. Each load reads the stored version, and reads
 * and parses the document only when it differs from the one held, so a policy of thousands of
 * rules is not parsed again on every request.
 *
 * <p>It holds only committed versions: a write hands its result over after the commit. The
 * version that the database assigns identifies the content, also when another manager on the
 * same database wrote it.
 */
@Component(service = PolicyCache.class)
public class PolicyCache {

    private static final String EMPTY_DOCUMENT = "{\"rules\":[]}";

    private final PolicyStore store;
    private volatile CurrentPolicy held;

    @Activate
    public PolicyCache(@Reference PolicyStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.held = parse(PolicyStore.EMPTY_VERSION, EMPTY_DOCUMENT);
    }

    /** Returns the stored policy. Inside a store transaction, it returns the version visible to that transaction. */
    CurrentPolicy load() {
        CurrentPolicy known = held;
        if (store.policyVersion() == known.version()) {
            return known;
        }
        CurrentPolicy loaded = store.findPolicy()
                .map(stored -> parse(stored.version(), stored.json()))
                .orElseGet(() -> parse(PolicyStore.EMPTY_VERSION, EMPTY_DOCUMENT));
        remember(loaded);
        return loaded;
    }

    /** Returns the version of the stored policy without reading the document. */
    long version() {
        return store.policyVersion();
    }

    /** Holds a policy that a committed write stored, unless a later version is held already. */
    void remember(CurrentPolicy committed) {
        CurrentPolicy known = held;
        if (committed.version() >= known.version()) {
            held = committed;
        }
    }

    static CurrentPolicy of(StoredPolicy stored, PolicyDocument document) {
        return new CurrentPolicy(stored.version(), document, PolicyJson.read(stored.json()));
    }

    private static CurrentPolicy parse(long version, String json) {
        PolicyDocument document = PolicyDocument.parse(json);
        return new CurrentPolicy(version, document, PolicyJson.read(json));
    }
}
