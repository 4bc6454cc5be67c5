/** A minimal JSON reader and writer for the vendor adapters, so the core carries no third-party dependency. */
@NullMarked
package dev.warden.guardrails.json;

import org.jspecify.annotations.NullMarked;
