/**
 * Access to the manager: operator passwords hashed with Argon2id, API tokens stored as
 * SHA-256 digests, roles scoped to domain subtrees and the decisions that follow from them,
 * login throttling, and the first admin's generated password file.
 *
 * <p>Nothing here stores accounts or tokens. The manager's store keeps the encoded password
 * hashes and {@link io.weft.manager.access.ApiToken} records, and its REST layer calls these
 * classes to check them.
 */
@Export
@Version("1.1.0")
package io.weft.manager.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
