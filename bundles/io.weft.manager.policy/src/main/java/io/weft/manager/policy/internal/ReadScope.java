package io.weft.manager.policy.internal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.weft.fleet.DomainName;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.policy.NodeSubject;
import io.weft.policy.PolicyRule;
import io.weft.policy.PolicyTest;

/**
 * Narrows the policy document to what a caller may read: the rules attached to domains that it
 * may read, and the test cases whose nodes all lie in such domains. An API client as a test's
 * source belongs to no domain and hides no test case.
 */
final class ReadScope {

    private final ApiCaller caller;
    private final boolean wholeFleet;

    private ReadScope(ApiCaller caller) {
        this.caller = caller;
        this.wholeFleet = ApiCallers.permits(caller, Action.READ, AccessTarget.fleet());
    }

    static ReadScope of(ApiCaller caller) {
        return new ReadScope(caller);
    }

    /** Returns the readable part of the document, in the stored form; the stored tree itself when all of it is readable. */
    ObjectNode visible(CurrentPolicy current) {
        if (wholeFleet) {
            return current.tree();
        }
        ObjectNode view = PolicyJson.newObject();
        ArrayNode rules = view.putArray(PolicyJson.RULES);
        List<PolicyRule> parsedRules = current.document().rules();
        ArrayNode storedRules = PolicyJson.rules(current.tree());
        for (int i = 0; i < parsedRules.size(); i++) {
            if (reads(parsedRules.get(i).domain())) {
                rules.add(storedRules.get(i));
            }
        }

        List<PolicyTest> parsedTests = current.document().tests();
        ArrayNode storedTests = PolicyJson.tests(current.tree());
        ArrayNode tests = PolicyJson.newObject().arrayNode();
        for (int i = 0; i < parsedTests.size(); i++) {
            if (reads(parsedTests.get(i))) {
                tests.add(storedTests.get(i));
            }
        }
        if (!tests.isEmpty()) {
            view.set(PolicyJson.TESTS, tests);
        }
        return view;
    }

    private boolean reads(PolicyTest test) {
        boolean source = !(test.flow().source() instanceof NodeSubject node) || reads(node.domain());
        return source && reads(test.flow().destination().domain());
    }

    private boolean reads(DomainName domain) {
        return ApiCallers.permits(caller, Action.READ, AccessTarget.domain(domain));
    }
}
