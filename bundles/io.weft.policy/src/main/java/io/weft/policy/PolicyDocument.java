package io.weft.policy;

import io.weft.policy.internal.DocumentReader;
import io.weft.policy.internal.DocumentWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Policy rules with the test cases that check them, in the JSON form that operators edit:
 *
 * <pre>
 * {"rules": [{"id": "G1", "domain": "acme.example", "source": "domain:acme.example",
 *             "destination": {"service": "ssh", "nodes": "tag:camera"},
 *             "action": "deny", "protocol": "tcp", "ports": [22, "2200-2299"],
 *             "description": "no SSH into cameras", "guardrail": true}],
 *  "tests": [{"name": "ops cannot SSH into cam1",
 *             "source": {"node": "ops1.acme.example", "tags": ["ops"]},
 *             "destination": {"node": "cam1.plant1.east.acme.example", "tags": ["camera"],
 *                             "service": "ssh", "port": 22},
 *             "expect": "deny"}]}
 * </pre>
 *
 * <p>Reading is strict and all or nothing: an unknown field, a duplicate key or any invalid
 * value rejects the whole document with every problem found. README.md in the bundle's source
 * folder lists every field.
 */
public final class PolicyDocument {

    /** Maximum size of a document: 16 MiB as UTF-8 bytes, or 16 Mi characters as a string. */
    public static final int MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;

    /** Maximum number of test cases in a document. */
    public static final int MAX_TESTS = 10_000;

    private final Policy policy;
    private final List<PolicyTest> tests;

    private PolicyDocument(Policy policy, List<PolicyTest> tests) {
        this.policy = policy;
        this.tests = tests;
    }

    /**
     * Combines rules and test cases.
     *
     * @throws InvalidPolicyException for duplicate rule ids, too many rules or too many tests
     */
    public static PolicyDocument of(Collection<PolicyRule> rules, Collection<PolicyTest> tests) {
        if (tests.size() > MAX_TESTS) {
            throw new InvalidPolicyException("tests", "The document has " + tests.size() + " test cases, more than"
                    + " the maximum of " + MAX_TESTS + ". Split them over several documents.");
        }
        return new PolicyDocument(Policy.of(rules), List.copyOf(tests));
    }

    /**
     * Reads a document from JSON text.
     *
     * @throws InvalidPolicyException listing every problem, each with rule id, field path and reason
     */
    public static PolicyDocument parse(String json) {
        return DocumentReader.read(json);
    }

    /**
     * Reads a document from UTF-8 bytes.
     *
     * @throws InvalidPolicyException listing every problem, each with rule id, field path and reason
     */
    public static PolicyDocument parse(byte[] utf8) {
        return DocumentReader.read(utf8);
    }

    public Policy policy() {
        return policy;
    }

    public List<PolicyRule> rules() {
        return policy.rules();
    }

    public List<PolicyTest> tests() {
        return tests;
    }

    /** Runs every test case and returns those that fail, in document order. */
    public List<TestFailure> runTests() {
        List<TestFailure> failures = new ArrayList<>();
        for (PolicyTest test : tests) {
            Decision actual = policy.decide(test.flow());
            if (actual.action() != test.expected()) {
                failures.add(new TestFailure(test, actual));
            }
        }
        return failures;
    }

    /** Writes the document as JSON in the form that {@link #parse(String)} reads. */
    public String toJson() {
        return DocumentWriter.write(this);
    }

    /** Writes the document as UTF-8 JSON. */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
