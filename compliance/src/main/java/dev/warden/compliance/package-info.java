/** SOC 2 period reports built from the audit ledger, their signed manifests and the offline verifier. */
@NullMarked
package dev.warden.compliance;

import org.jspecify.annotations.NullMarked;
