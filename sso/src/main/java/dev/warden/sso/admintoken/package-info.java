/** The bootstrap admin token: break-glass bearer access to the admin API, audited on every use. */
@NullMarked
package dev.warden.sso.admintoken;

import org.jspecify.annotations.NullMarked;
