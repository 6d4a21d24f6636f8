/**
 * Runtime status of a Weft node or manager: which release it runs and whether every Weft
 * component is active.
 */
@Export
@Version("1.0.0")
package io.weft.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
