/** Roles, permissions and the one permission matrix; plain Java, no Spring. */
@NullMarked
package dev.warden.sso.rbac;

import org.jspecify.annotations.NullMarked;
