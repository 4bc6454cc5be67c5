/** Deterministic renderers of a {@link dev.warden.compliance.Soc2Report}: JSON, CSV and text-only PDF. */
@NullMarked
package dev.warden.compliance.render;

import org.jspecify.annotations.NullMarked;
