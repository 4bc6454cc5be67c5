/** Security events (login, failed login, logout, admin token use, access denied) and the sink the gateway implements. */
@NullMarked
package dev.warden.sso.audit;

import org.jspecify.annotations.NullMarked;
