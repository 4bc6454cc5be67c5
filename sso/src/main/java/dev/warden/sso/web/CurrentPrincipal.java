package dev.warden.sso.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller parameter of type {@link dev.warden.sso.rbac.WardenPrincipal} to receive the signed-in principal:
 * {@code @DeleteMapping("/admin/api/keys/{id}") void revoke(@PathVariable String id, @CurrentPrincipal WardenPrincipal who)}.
 * Resolving it when nobody is signed in is a 401.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CurrentPrincipal {
}
