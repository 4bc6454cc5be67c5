/** Servlet-side helpers: the current principal for controllers, the access guard, login page. */
@NullMarked
package dev.warden.sso.web;

import org.jspecify.annotations.NullMarked;
