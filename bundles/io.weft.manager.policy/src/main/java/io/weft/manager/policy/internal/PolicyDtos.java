package io.weft.manager.policy.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.policy.Decision;
import io.weft.policy.RuleRef;
import io.weft.policy.TestFailure;

/** Response bodies of the policy resources. */
public final class PolicyDtos {

    private PolicyDtos() {
    }

    /**
     * The rules that the caller may read.
     *
     * @param version the version of the policy document
     * @param items   the rules in document order
     */
    public record RuleListDto(long version, List<JsonNode> items) {
    }

    /**
     * The rule that decided a flow.
     *
     * @param id        the rule's id
     * @param domain    the rule's attachment domain
     * @param guardrail true when the rule is a guardrail
     */
    public record RuleRefDto(String id, String domain, boolean guardrail) {

        static RuleRefDto of(RuleRef rule) {
            return new RuleRefDto(rule.id(), rule.domain().toString(), rule.guardrail());
        }
    }

    /**
     * A decision of the policy on one flow.
     *
     * @param action allow or deny
     * @param rule   the deciding rule, null for the default denial
     * @param reason the reason in one line, naming the rule or the flow that no rule allows
     */
    public record DecisionDto(String action, RuleRefDto rule, String reason) {

        static DecisionDto of(Decision decision) {
            return new DecisionDto(decision.action().id(), decision.rule().map(RuleRefDto::of).orElse(null),
                    decision.reason());
        }
    }

    /**
     * Decision of the stored policy on one flow, with the version that made it.
     *
     * @param policyVersion the version of the policy that decided
     * @param flow          the flow as the policy saw it
     * @param decision      the decision with its rule and reason
     */
    public record ExplanationDto(long policyVersion, String flow, DecisionDto decision) {
    }

    /**
     * A flow whose action differs between the stored policy and a draft.
     *
     * @param index  the flow's position in the request's list, from 0
     * @param flow   the flow
     * @param before the stored policy's decision
     * @param after  the draft's decision
     */
    public record FlowChangeDto(int index, String flow, DecisionDto before, DecisionDto after) {
    }

    /**
     * A test case of a document that its rules decide differently than expected.
     *
     * @param test     the test case's name
     * @param expected the action that the test case expects
     * @param actual   the decision of the rules
     */
    public record TestFailureDto(String test, String expected, DecisionDto actual) {

        static TestFailureDto of(TestFailure failure) {
            return new TestFailureDto(failure.test().name(), failure.test().expected().id(),
                    DecisionDto.of(failure.actual()));
        }
    }

    /**
     * The flows whose action a draft changes.
     *
     * @param policyVersion the version of the stored policy that the draft was compared with
     * @param newlyDenied   flows that the stored policy allows and the draft denies
     * @param newlyAllowed  flows that the stored policy denies and the draft allows
     * @param testFailures  the draft's own test cases that its rules fail
     */
    public record DryRunDto(long policyVersion, List<FlowChangeDto> newlyDenied, List<FlowChangeDto> newlyAllowed,
            List<TestFailureDto> testFailures) {
    }
}
