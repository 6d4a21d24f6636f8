package io.weft.manager.policy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.weft.fleet.NodeFullName;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.FleetStore;
import io.weft.policy.InvalidPolicyException;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyDocument;
import io.weft.policy.PolicyProblem;
import io.weft.policy.PolicyTest;

/**
 * Checks that the test cases of an imported document name nodes of the fleet, so that a
 * misspelt node name does not pass as a test. The attributes that a test case gives a node
 * (role, tags, cluster) are what the test decides with; only the name is checked.
 */
final class TestNodes {

    private final FleetStore fleet;
    private final Map<NodeFullName, Boolean> known = new HashMap<>();

    TestNodes(FleetStore fleet) {
        this.fleet = fleet;
    }

    /**
     * @throws InvalidFieldException naming the first unknown node, with every unknown node in the message
     */
    void check(PolicyDocument document) {
        List<PolicyProblem> problems = new ArrayList<>();
        List<PolicyTest> tests = document.tests();
        for (int i = 0; i < tests.size(); i++) {
            PolicyTest test = tests.get(i);
            if (test.flow().source() instanceof NodeSubject source) {
                checkNode(source, "tests[" + i + "].source.node", problems);
            }
            checkNode(test.flow().destination(), "tests[" + i + "].destination.node", problems);
        }
        if (!problems.isEmpty()) {
            throw PolicyErrors.invalid(new InvalidPolicyException(problems), "", null);
        }
    }

    private void checkNode(NodeSubject node, String field, List<PolicyProblem> problems) {
        boolean exists = known.computeIfAbsent(node.name(), name -> fleet.findNodeByName(name.domain().toString(),
                name.node().toString()).isPresent());
        if (!exists) {
            problems.add(new PolicyProblem(Optional.empty(), field, "The test case names the node " + node.name()
                    + ", which is not in the fleet. Create the node, or correct the name."));
        }
    }
}
