package io.weft.manager.control.internal;

import java.util.Collection;
import java.util.Set;

import io.weft.fleet.DomainName;
import io.weft.manager.policy.api.NodePolicies;
import io.weft.manager.policy.api.PolicyCompiler;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;

/** A policy compiler on a fixed policy document, in place of the stored policy. */
final class DocumentPolicyCompiler implements PolicyCompiler {

    private volatile PolicyDocument document;

    DocumentPolicyCompiler(String json) {
        this.document = PolicyDocument.parse(json);
    }

    void replace(String json) {
        document = PolicyDocument.parse(json);
    }

    @Override
    public long currentVersion() {
        return 1;
    }

    @Override
    public NodePolicies compile(Collection<NodeSubject> nodes) {
        return compile(nodes, nodes);
    }

    @Override
    public NodePolicies compile(Collection<NodeSubject> nodes, Collection<NodeSubject> fleet) {
        return new NodePolicies(1, document.policy().compile(nodes, fleet));
    }

    @Override
    public Set<DomainName> attributeRuleDomains() {
        return document.policy().attributeRuleDomains();
    }
}
