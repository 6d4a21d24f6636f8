/**
 * Policy engine shared by the manager and the nodes. Rules allow or deny a source to reach a
 * service or an app operation on nodes of the fleet. The package reads rules and test cases
 * from JSON documents, makes deterministic decisions that name the deciding rule, computes the
 * per-node subsets of a policy and compares a draft with the current policy.
 *
 * <p>Every type is immutable. Invalid input raises {@link io.weft.policy.InvalidPolicyException},
 * which lists every problem with its rule id, field and reason. docs/policy-precedence.md in the
 * repository defines which rule decides, with worked examples.
 */
@Export
@Version("1.1.0")
package io.weft.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
