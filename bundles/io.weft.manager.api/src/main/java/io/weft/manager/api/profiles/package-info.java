/** Reading the profile documents that the fleet API stores, for bundles that compute with profiles. */
@Export
@Version("1.0.0")
package io.weft.manager.api.profiles;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
