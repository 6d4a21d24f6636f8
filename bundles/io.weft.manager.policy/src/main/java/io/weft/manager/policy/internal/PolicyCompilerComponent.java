package io.weft.manager.policy.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.fleet.DomainName;
import io.weft.manager.policy.api.NodePolicies;
import io.weft.manager.policy.api.PolicyCompiler;
import io.weft.policy.NodeSubject;

/** The {@link PolicyCompiler} service on the stored policy, parsed once per version. */
@Component(service = PolicyCompiler.class)
public class PolicyCompilerComponent implements PolicyCompiler {

    private final PolicyCache cache;

    @Activate
    public PolicyCompilerComponent(@Reference PolicyCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public long currentVersion() {
        return cache.version();
    }

    @Override
    public NodePolicies compile(Collection<NodeSubject> nodes) {
        return compile(nodes, nodes);
    }

    @Override
    public NodePolicies compile(Collection<NodeSubject> nodes, Collection<NodeSubject> fleet) {
        CurrentPolicy current = cache.load();
        return new NodePolicies(current.version(), current.document().policy().compile(nodes, fleet));
    }

    @Override
    public Set<DomainName> attributeRuleDomains() {
        return cache.load().document().policy().attributeRuleDomains();
    }
}
