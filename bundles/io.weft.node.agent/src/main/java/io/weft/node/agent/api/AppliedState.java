package io.weft.node.agent.api;

import io.weft.control.state.AppDeployment;
import io.weft.policy.PeerDirectory;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of the applied desired state that node bundles act on. The state's
 * configurations are not here: the agent writes them to Configuration Admin, where each
 * bundle reads its own PIDs.
 *
 * @param revision       the applied revision, 0 before the node applied any state
 * @param revokedSerials the serial numbers of revoked certificates, which no connection may accept
 * @param policyJson     the policy document with the rules that concern this node, for
 *     {@code io.weft.policy.PolicyDocument.parse}; {@code {}} when the manager has no policy,
 *     which a reader treats as no rules, so every flow is denied
 * @param deployments    the apps that the node must run, at most one per app name
 * @param peers          the role, tags and cluster of this node and of other nodes, as the
 *     manager signed them. Every policy decision on this node reads them, as
 *     {@code io.weft.policy.PeerDirectory} describes
 * @param signer         the manager's state-signing certificate that signed this state, which the
 *     node verified against the Weft CA. The Edge API verifies API client tokens with it, because
 *     the manager signs them with the same key. Empty before the node applied any state
 */
public record AppliedState(long revision, Set<BigInteger> revokedSerials, String policyJson,
        List<AppDeployment> deployments, PeerDirectory peers, Optional<X509Certificate> signer) {

    /** The state of a node that has applied none: revision 0, nothing revoked, no rules, no apps. */
    public static final AppliedState NONE = new AppliedState(0, Set.of(), "{}", List.of(), PeerDirectory.empty());

    public AppliedState {
        if (revision < 0) {
            throw new IllegalArgumentException("Invalid revision " + revision + ": it must not be negative");
        }
        revokedSerials = Set.copyOf(revokedSerials);
        Objects.requireNonNull(policyJson, "policyJson");
        deployments = List.copyOf(deployments);
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(signer, "signer");
    }

    /** Creates a state without a signer certificate. */
    public AppliedState(long revision, Set<BigInteger> revokedSerials, String policyJson,
            List<AppDeployment> deployments, PeerDirectory peers) {
        this(revision, revokedSerials, policyJson, deployments, peers, Optional.empty());
    }

    /** Creates a state without apps and with an empty peer directory. */
    public AppliedState(long revision, Set<BigInteger> revokedSerials, String policyJson) {
        this(revision, revokedSerials, policyJson, List.of(), PeerDirectory.empty());
    }

    /** Creates a state with an empty peer directory. */
    public AppliedState(long revision, Set<BigInteger> revokedSerials, String policyJson,
            List<AppDeployment> deployments) {
        this(revision, revokedSerials, policyJson, deployments, PeerDirectory.empty());
    }

    /** Returns true when the policy document has no content, as before the manager has a policy. */
    public boolean hasNoPolicy() {
        return policyJson.isBlank() || policyJson.strip().equals("{}");
    }
}
